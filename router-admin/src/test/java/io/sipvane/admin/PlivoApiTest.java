package io.sipvane.admin;

import static io.sipvane.admin.AdminFixture.ONE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sipvane.admin.AdminFixture.Reply;
import io.sipvane.core.config.ConfigLoader;
import io.sipvane.core.health.HealthView;
import io.sipvane.core.routing.Destination;
import io.sipvane.core.routing.FailoverPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Plivo Zentrunk examples of the seed document, replayed with the host swapped. */
class PlivoApiTest {
    static final String URIS = "/v1/Account/" + ONE + "/Zentrunk/URI/";
    static final String TRUNKS = "/v1/Account/" + ONE + "/Zentrunk/Trunk/";

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

    String create(String body) throws Exception {
        Reply reply = api.post(api.plivo(URIS), body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("uri_uuid").asText();
    }

    @Test
    void create_withoutAuthentication_answersLikeTheSeed() throws Exception {
        Reply reply = api.post(api.plivo(URIS), "{\"name\": \"primary-pbx\", \"uri\": \"sip.example.com:5060\"}");

        assertThat(reply.status()).isEqualTo(201);
        JsonNode body = reply.json();
        assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("api_id", "message", "uri_uuid");
        assertThat(body.get("message").asText()).isEqualTo("Origination URI created successfully.");
        UUID.fromString(body.get("api_id").asText());
        UUID id = UUID.fromString(body.get("uri_uuid").asText());
        assertThat(api.store.current().originationUri(id)).hasValueSatisfying(u -> {
            assertThat(u.uri()).isEqualTo("sip.example.com:5060");
            assertThat(u.accountId()).isEqualTo(ONE);
        });
    }

    @Test
    void create_withAuthentication_thenRetrieve_neverShowsThePassword() throws Exception {
        String id = create("""
                {"name": "secure-pbx", "uri": "sip.example.com:5060", "authentication_needed": true,
                 "username": "plivo_inbound", "password": "securepassword123!"}""");

        Reply reply = api.send(api.plivo(URIS + id + "/"));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode o = reply.json();
        assertThat(o.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("api_id", "uri_uuid", "name", "uri", "authentication_needed", "username", "sip_user",
                        "trunk_id", "state");
        assertThat(o.get("state").asText()).isEqualTo("up");
        assertThat(o.get("uri_uuid").asText()).isEqualTo(id);
        assertThat(o.get("name").asText()).isEqualTo("secure-pbx");
        assertThat(o.get("uri").asText()).isEqualTo("sip.example.com:5060");
        assertThat(o.get("authentication_needed").asBoolean()).isTrue();
        assertThat(o.get("username").asText()).isEqualTo("plivo_inbound");
        for (Reply r : List.of(reply, api.send(api.plivo(URIS)), api.send(api.vobiz("/api/v1/Account/" + ONE + "/origination-uris")),
                api.send(api.vobiz("/api/v1/Account/" + ONE + "/origination-uris/" + id)))) {
            assertThat(r.body()).doesNotContain("securepassword123!").doesNotContain("password");
        }
    }

    @Test
    void create_missingUri_orCredentials_is422AndChangesNothing() throws Exception {
        String before = java.nio.file.Files.readString(api.file);

        Reply noUri = api.post(api.plivo(URIS), "{\"name\": \"x\"}");
        Reply noPassword = api.post(api.plivo(URIS),
                "{\"uri\": \"sip.example.com\", \"authentication_needed\": true, \"username\": \"u\"}");
        Reply noUsername = api.post(api.plivo(URIS),
                "{\"uri\": \"sip.example.com\", \"authentication_needed\": true, \"password\": \"p-secret\"}");

        assertThat(noUri.status()).isEqualTo(422);
        assertThat(noUri.json().get("error").asText()).isEqualTo("uri: missing (required)");
        assertThat(noPassword.status()).isEqualTo(422);
        assertThat(noPassword.json().get("error").asText()).startsWith("password: missing");
        assertThat(noUsername.status()).isEqualTo(422);
        assertThat(noUsername.json().get("error").asText()).startsWith("username: missing");
        assertThat(noUsername.body()).doesNotContain("p-secret");
        assertThat(java.nio.file.Files.readString(api.file)).isEqualTo(before);
        assertThat(api.store.current().originationUris()).isEmpty();
    }

    @Test
    void update_isPartial_andAnswersLikeTheSeed() throws Exception {
        String id = create("{\"name\": \"primary-pbx\", \"uri\": \"sip.example.com:5060\"}");

        Reply reply = api.post(api.plivo(URIS + id + "/"), """
                {"uri": "new-sip.example.com:5060", "authentication_needed": true,
                 "username": "new_user", "password": "new_password123!"}""");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("message").asText()).isEqualTo("origination uri updated successfully.");
        assertThat(reply.json().get("uri_uuid").asText()).isEqualTo(id);
        JsonNode o = api.send(api.plivo(URIS + id + "/")).json();
        assertThat(o.get("name").asText()).isEqualTo("primary-pbx"); // kept
        assertThat(o.get("uri").asText()).isEqualTo("new-sip.example.com:5060");
        assertThat(o.get("username").asText()).isEqualTo("new_user");
        assertThat(api.store.current().originationUri(UUID.fromString(id)).orElseThrow().password()).isEqualTo("new_password123!");
    }

    @Test
    void delete_answers204_andTheUriIsGone() throws Exception {
        String id = create("{\"uri\": \"sip.example.com\"}");

        Reply reply = api.send(api.plivo(URIS + id + "/").DELETE());

        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.body()).isEmpty();
        assertThat(api.send(api.plivo(URIS + id + "/")).status()).isEqualTo(404);
        assertThat(api.send(api.plivo(URIS + id + "/").DELETE()).status()).isEqualTo(404);
    }

    @Test
    void list_hasTheSeedsMetaBlock_andPagesByLimitAndOffset() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ids.add(create("{\"name\": \"pbx-" + i + "\", \"uri\": \"sip:127.0.0.1:" + (6000 + i) + "\"}"));
        }

        JsonNode first = api.send(api.plivo(URIS)).json();
        assertThat(first.get("meta").get("limit").asInt()).isEqualTo(20);
        assertThat(first.get("meta").get("offset").asInt()).isZero();
        assertThat(first.get("meta").get("total_count").asInt()).isEqualTo(25);
        assertThat(first.get("meta").get("previous").isNull()).isTrue();
        assertThat(first.get("meta").get("next").asText()).isEqualTo("v1/Account/" + ONE + "/Zentrunk/URI/?limit=20&offset=20");
        assertThat(first.get("objects")).hasSize(20);
        assertThat(first.get("objects").get(0).get("uri_uuid").asText()).isEqualTo(ids.get(0));

        JsonNode second = api.send(api.plivo(URIS + "?limit=10&offset=20")).json();
        assertThat(second.get("objects")).hasSize(5);
        assertThat(second.get("objects").get(4).get("uri_uuid").asText()).isEqualTo(ids.get(24));
        assertThat(second.get("meta").get("next").isNull()).isTrue();
        assertThat(second.get("meta").get("previous").asText()).isEqualTo("v1/Account/" + ONE + "/Zentrunk/URI/?limit=10&offset=10");

        JsonNode past = api.send(api.plivo(URIS + "?offset=100")).json();
        assertThat(past.get("objects")).isEmpty();
        assertThat(past.get("meta").get("total_count").asInt()).isEqualTo(25);

        Reply zero = api.send(api.plivo(URIS + "?limit=0"));
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.json().get("error").asText()).isEqualTo("limit: 0 (expected: 1..20)");
        assertThat(api.send(api.plivo(URIS + "?limit=21")).status()).isEqualTo(400);
        assertThat(api.send(api.plivo(URIS + "?offset=-1")).status()).isEqualTo(400);
        assertThat(api.send(api.plivo(URIS + "?limit=ten")).status()).isEqualTo(400);
    }

    @Test
    void trunk_withPrimaryAndFallback_routesPrimaryFirst() throws Exception {
        String primary = create("{\"name\": \"primary-pbx\", \"uri\": \"sip:127.0.0.1:5071\"}");
        String fallback = create("{\"name\": \"backup-pbx\", \"uri\": \"sip:127.0.0.1:5072\"}");

        Reply reply = api.post(api.plivo(TRUNKS), """
                {"name": "inbound-trunk", "trunk_direction": "inbound",
                 "primary_uri_uuid": "%s", "fallback_uri_uuid": "%s",
                 "match": {"numbers": ["+1650"]}}""".formatted(primary, fallback));

        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        assertThat(reply.json().get("message").asText()).isEqualTo("Trunk created successfully.");
        String trunkId = reply.json().get("trunk_id").asText();
        FailoverPlan plan = api.store.table().current().trunkFor("127.0.0.1", "+16505550100")
                .plan(new SplittableRandom(1), HealthView.ALL_UP);
        assertThat(plan.next().port()).isEqualTo(5071);
        Destination second = plan.next();
        assertThat(second.port()).isEqualTo(5072);
        assertThat(second.priority()).isEqualTo(2);
        assertThat(plan.next()).isNull();
        JsonNode trunk = api.send(api.plivo(TRUNKS + trunkId + "/")).json();
        assertThat(trunk.get("primary_uri_uuid").asText()).isEqualTo(primary);
        assertThat(trunk.get("fallback_uri_uuid").asText()).isEqualTo(fallback);
        assertThat(trunk.get("trunk_direction").asText()).isEqualTo("inbound");

        Reply inUse = api.send(api.plivo(URIS + primary + "/").DELETE());
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.json().get("error").asText()).contains("primary URI of trunk " + trunkId);

        assertThat(api.send(api.plivo(TRUNKS + trunkId + "/").DELETE()).status()).isEqualTo(204);
        assertThat(api.send(api.plivo(URIS + primary + "/").DELETE()).status()).isEqualTo(204);
    }

    @Test
    void trunk_unknownUri_is422NamingTheField() throws Exception {
        Reply reply = api.post(api.plivo(TRUNKS), "{\"name\": \"t\", \"primary_uri_uuid\": \"" + UUID.randomUUID() + "\"}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("error").asText()).startsWith("primary_uri_uuid: unknown origination URI");
    }

    @Test
    void trunk_listUpdateAndDelete() throws Exception {
        Reply list = api.send(api.plivo(TRUNKS));
        assertThat(list.json().get("objects")).hasSize(1);
        assertThat(list.json().get("objects").get(0).get("trunk_id").asText()).isEqualTo(AdminFixture.TRUNK);

        Reply update = api.post(api.plivo(TRUNKS + AdminFixture.TRUNK + "/"), "{\"name\": \"renamed\"}");
        assertThat(update.status()).isEqualTo(200);
        assertThat(api.store.current().trunk(UUID.fromString(AdminFixture.TRUNK)).orElseThrow().name()).isEqualTo("renamed");
        assertThat(api.store.current().trunk(UUID.fromString(AdminFixture.TRUNK)).orElseThrow().match().isDefault()).isTrue();

        Reply badDirection = api.post(api.plivo(TRUNKS + AdminFixture.TRUNK + "/"), "{\"trunk_direction\": \"outbound\"}");
        assertThat(badDirection.status()).isEqualTo(422);
        assertThat(badDirection.json().get("error").asText()).isEqualTo("trunk_direction: \"outbound\" (expected: inbound)");
    }

    @Test
    void aWriteIsVisibleToTheNextCallsRouting_andSurvivesARestart() throws Exception {
        String id = create("{\"name\": \"pbx\", \"uri\": \"sip:127.0.0.1:5099\", \"weight\": 5}");

        assertThat(api.store.table().current().trunkFor("x", "1").destinations())
                .extracting(d -> d.id().toString()).containsExactly(id);
        api.close();
        assertThat(ConfigLoader.load(api.file).originationUri(UUID.fromString(id))).hasValueSatisfying(u -> {
            assertThat(u.weight()).isEqualTo(5);
            assertThat(u.createdAt()).isNotNull();
        });
        api = new AdminFixture(dir);
        assertThat(api.send(api.plivo(URIS + id + "/")).json().get("uri").asText()).isEqualTo("sip:127.0.0.1:5099");
    }
}
