package io.sipvane.admin;

import static io.sipvane.admin.AdminFixture.ONE;
import static io.sipvane.admin.AdminFixture.ONE_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sipvane.admin.AdminFixture.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The requests the Vobiz SDKs send, byte for byte as their request code builds them, and the
 * shapes their models accept. Each test names the client file it replays.
 */
class VobizSdkWireTest {
    static final String BASE = "/api/v1/Account/" + ONE;

    /** Seed 002's example object: the exact key set and JSON types of a Vobiz origination URI. */
    static final String SEED_002 = """
            {"id": "aabbccdd-1234-5678-90ab-cdef12345678", "account_id": "", "uri": "sip:sbc1.example.com:5060",
             "priority": 1, "weight": 10, "enabled": true, "transport": "udp", "description": "",
             "created_at": "2026-05-10T10:45:30Z", "updated_at": "2026-05-10T10:45:30Z"}""";
    /** Seed 003's PUT response. */
    static final String SEED_003 = """
            {"id": "aabbccdd-1234-5678-90ab-cdef12345678", "account_id": "MA_XXXXXXXX",
             "uri": "sip:provider@sip.example.com:5060", "priority": 1, "weight": 10, "enabled": true,
             "transport": "udp", "description": "Primary SBC", "created_at": "2026-05-12T05:11:51.914686Z",
             "updated_at": "2026-05-12T05:11:51.964357Z"}""";

    @TempDir
    Path dir;
    AdminFixture api;

    @BeforeEach
    void start() throws Exception {
        api = new AdminFixture(dir);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** Vobiz-Python-SDK src/vobiz/core/client_wrapper.py: X-Auth-ID and X-Auth-Token on every call. */
    HttpRequest.Builder sdk(String path) {
        return HttpRequest.newBuilder(URI.create(api.base + path)).timeout(Duration.ofSeconds(20))
                .header("X-Auth-ID", ONE).header("X-Auth-Token", ONE_TOKEN);
    }

    /** Fails on any key the seed object does not have, any key missing, or a JSON type that differs. */
    static void assertSeedShape(JsonNode actual, String seed) throws Exception {
        JsonNode expected = Json.MAPPER.readTree(seed);
        List<String> expectedKeys = new ArrayList<>();
        expected.fieldNames().forEachRemaining(expectedKeys::add);
        List<String> actualKeys = new ArrayList<>();
        actual.fieldNames().forEachRemaining(actualKeys::add);
        assertThat(actualKeys).as("keys of %s", actual).containsExactlyInAnyOrderElementsOf(expectedKeys);
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertThat(actual.get(e.getKey()).getNodeType()).as(e.getKey()).isEqualTo(e.getValue().getNodeType());
        }
    }

    // Vobiz-Python-SDK src/vobiz/origination_uri/raw_client.py create_origination_uri:
    //   POST api/v1/Account/{auth_id}/origination-uris  json={"name", "sip_uri", "priority"}
    // (Vobiz-Node-SDK Client.ts and Vobiz-Java-SDK RawOriginationUriClient.java send the same body);
    // the answer is parsed into CreateOriginationUriResponse, ten fields, extra="forbid".
    @Test
    void officialSdkCreate_withSipUri_answersExactlyTheSeedObject() throws Exception {
        Reply reply = api.post(sdk(BASE + "/origination-uris"),
                "{\"name\": \"Primary SBC\", \"sip_uri\": \"sip:sbc1.example.com:5060\", \"priority\": 1}");

        assertThat(reply.status()).as(reply.body()).isBetween(200, 299);
        assertSeedShape(reply.json(), SEED_002);
        assertThat(reply.json().get("uri").asText()).isEqualTo("sip:sbc1.example.com:5060");
        assertThat(reply.json().get("description").asText()).isEqualTo("Primary SBC");
    }

    // raw_client.py update_origination_uri: PUT .../origination-uris/{uri_id} json={"name", "priority"},
    // parsed into UpdateOriginationUriResponse (extra="forbid"): compared with seed 003's response.
    @Test
    void officialSdkUpdate_answersExactlyTheSeedObject() throws Exception {
        String id = api.post(sdk(BASE + "/origination-uris"),
                "{\"name\": \"Backup SBC\", \"sip_uri\": \"sip:provider@sip.example.com:5060\", \"priority\": 2}")
                .json().get("id").asText();

        Reply reply = api.put(sdk(BASE + "/origination-uris/" + id), "{\"name\": \"Backup SBC\", \"priority\": 1}");

        assertThat(reply.status()).isEqualTo(200);
        assertSeedShape(reply.json(), SEED_003);
        assertThat(reply.json().get("priority").asInt()).isEqualTo(1);
        assertSeedShape(api.send(sdk(BASE + "/origination-uris/" + id)).json(), SEED_002);
    }

    // raw_client.py list_origination_uris: GET api/v1/Account/{auth_id}/trunks/origination-uris, parsed into
    // ListOriginationUrisResponse {meta, objects} whose meta (list_origination_uris_response_meta.py) is
    // exactly {limit, offset, total}; Node ListOriginationUrisResponse.ts and Java
    // ListOriginationUrisResponseMeta.java model the same; Go services/originationuris/list.go lists here too.
    @Test
    void officialSdkList_atTheTrunksPath_hasExactlyMetaAndObjects() throws Exception {
        api.post(sdk(BASE + "/origination-uris"), "{\"name\": \"a\", \"sip_uri\": \"sip:127.0.0.1:5071\", \"priority\": 1}");
        api.post(sdk(BASE + "/origination-uris"), "{\"name\": \"b\", \"sip_uri\": \"sip:127.0.0.1:5072\", \"priority\": 2}");

        Reply reply = api.send(sdk(BASE + "/trunks/origination-uris"));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("meta", "objects");
        assertThat(body.get("meta").fieldNames()).toIterable().containsExactlyInAnyOrder("limit", "offset", "total");
        assertThat(body.get("meta").get("total").asInt()).isEqualTo(2);
        assertThat(body.get("objects")).hasSize(2);
        for (JsonNode o : body.get("objects")) {
            assertSeedShape(o, SEED_002);
        }
        assertThat(api.send(sdk(BASE + "/origination-uris")).json()).isEqualTo(body);
        // the Vobiz list document: limit 1-100
        assertThat(api.send(sdk(BASE + "/trunks/origination-uris?limit=100&offset=0")).json().get("meta").get("limit").asInt()).isEqualTo(100);
        assertThat(api.send(sdk(BASE + "/trunks/origination-uris?limit=101")).status()).isEqualTo(400);
        assertThat(api.post(sdk(BASE + "/trunks/origination-uris"), "{}").status()).isEqualTo(405);
    }

    // Vobiz-Go-SDK services/originationuris/helpers.go setModernPath: "/api/v1/account/%s/%s" (lower case);
    // create.go posts CreateParams {uri, priority, weight} (omitempty); update.go PUTs UpdateParams with only
    // the fields set. The community SDK (Piyush-sahoo/Vobiz-Python-SDK) writes the same lower-case path.
    @Test
    void goSdk_lowerCasePath_uriField_andPartialUpdate() throws Exception {
        Reply created = api.post(sdk("/api/v1/account/" + ONE + "/origination-uris"),
                "{\"uri\": \"sip:127.0.0.1:5071\", \"priority\": 1, \"weight\": 20}");
        assertThat(created.status()).as(created.body()).isBetween(200, 299);
        String id = created.json().get("id").asText();

        Reply priorityAndWeight = api.put(sdk("/api/v1/account/" + ONE + "/origination-uris/" + id),
                "{\"priority\": 2, \"weight\": 5}");
        Reply uriOnly = api.put(sdk("/api/v1/account/" + ONE + "/origination-uris/" + id), "{\"uri\": \"sip:127.0.0.1:5072\"}");
        Reply list = api.send(sdk("/api/v1/account/" + ONE + "/trunks/origination-uris?limit=20"));

        assertThat(priorityAndWeight.status()).as(priorityAndWeight.body()).isEqualTo(200);
        assertThat(uriOnly.status()).isEqualTo(200);
        JsonNode o = uriOnly.json();
        assertThat(o.get("priority").asInt()).isEqualTo(2);
        assertThat(o.get("weight").asInt()).isEqualTo(5);
        assertThat(o.get("uri").asText()).isEqualTo("sip:127.0.0.1:5072");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("objects").get(0).get("id").asText()).isEqualTo(id);
    }

    // The community SDK's update sends weight alone (issue 12's report of Piyush-sahoo/Vobiz-Python-SDK):
    // every field it does not send keeps its value, name included.
    @Test
    void weightAlone_keepsEverythingElse() throws Exception {
        JsonNode before = api.post(sdk(BASE + "/origination-uris"),
                "{\"name\": \"Primary SBC\", \"sip_uri\": \"sip:127.0.0.1:5071\", \"priority\": 3}").json();

        Reply reply = api.put(sdk("/api/v1/account/" + ONE + "/origination-uris/" + before.get("id").asText()),
                "{\"weight\": 0}");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode after = reply.json();
        assertThat(after.get("weight").asInt()).isZero();
        for (String field : List.of("id", "account_id", "uri", "priority", "enabled", "transport", "description", "created_at")) {
            assertThat(after.get(field)).as(field).isEqualTo(before.get(field));
        }
    }

    // A client that GETs the object, edits it and PUTs it back sends all ten keys, description among them.
    @Test
    void getEditPutBack_works() throws Exception {
        String id = api.post(sdk(BASE + "/origination-uris"),
                "{\"name\": \"Primary SBC\", \"sip_uri\": \"sip:127.0.0.1:5071\", \"priority\": 1}").json().get("id").asText();
        com.fasterxml.jackson.databind.node.ObjectNode o =
                (com.fasterxml.jackson.databind.node.ObjectNode) api.send(sdk(BASE + "/origination-uris/" + id)).json();
        o.put("description", "Renamed SBC");
        o.put("enabled", false);

        Reply reply = api.put(sdk(BASE + "/origination-uris/" + id), o.toString());

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("description").asText()).isEqualTo("Renamed SBC");
        assertThat(reply.json().get("enabled").asBoolean()).isFalse();
        assertSeedShape(reply.json(), SEED_003);
    }

    @Test
    void uriAndSipUriDisagreeing_is422_andCreatesNothing() throws Exception {
        Reply reply = api.post(sdk(BASE + "/origination-uris"),
                "{\"uri\": \"sip:127.0.0.1:5071\", \"sip_uri\": \"sip:127.0.0.1:5072\"}");
        Reply none = api.post(sdk(BASE + "/origination-uris"), "{\"name\": \"x\", \"priority\": 1}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("error").asText()).startsWith("sip_uri: ");
        assertThat(none.status()).isEqualTo(422);
        assertThat(none.json().get("error").asText()).startsWith("uri: missing");
        assertThat(api.store.current().originationUris()).isEmpty();
    }

    @Test
    void health_isAReadOnlyEndpointBesideTheObject() throws Exception {
        String id = api.post(sdk(BASE + "/origination-uris"),
                "{\"name\": \"a\", \"sip_uri\": \"sip:127.0.0.1:5071\", \"priority\": 1, \"trunk_id\": \"" + AdminFixture.TRUNK + "\"}")
                .json().get("id").asText();

        Reply health = api.send(sdk(BASE + "/origination-uris/" + id + "/health"));
        Reply put = api.put(sdk(BASE + "/origination-uris/" + id + "/health"), "{}");
        Reply unknown = api.send(sdk(BASE + "/origination-uris/aabbccdd-1234-5678-90ab-cdef12345678/health"));

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("id").asText()).isEqualTo(id);
        assertThat(health.json().get("state").asText()).isEqualTo("up");
        assertThat(health.json().get("enabled").asBoolean()).isTrue();
        assertThat(health.json().get("trunk_id").asText()).isEqualTo(AdminFixture.TRUNK);
        assertThat(put.status()).isEqualTo(405);
        assertThat(unknown.status()).isEqualTo(404);
    }
}
