package io.sipvane.admin;

import static io.sipvane.admin.AdminFixture.ONE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sipvane.admin.AdminFixture.Reply;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Vobiz examples of the seed documents, replayed with the host swapped. */
class VobizApiTest {
    static final String URIS = "/api/v1/Account/" + ONE + "/origination-uris";

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

    JsonNode create(String body) throws Exception {
        Reply reply = api.post(api.vobiz(URIS), body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json();
    }

    @Test
    void create_returnsTheWholeObjectWithSeedFields() throws Exception {
        JsonNode o = create("{\"uri\": \"sip:sbc1.example.com:5060\", \"name\": \"Primary SBC\", \"priority\": 1, \"weight\": 10}");

        assertThat(o.fieldNames()).toIterable().containsExactlyElementsOf(VobizUris.FIELDS);
        assertThat(o.get("account_id").asText()).isEqualTo(ONE);
        assertThat(o.get("uri").asText()).isEqualTo("sip:sbc1.example.com:5060");
        assertThat(o.get("priority").asInt()).isEqualTo(1);
        assertThat(o.get("weight").asInt()).isEqualTo(10);
        assertThat(o.get("enabled").asBoolean()).isTrue();
        assertThat(o.get("transport").asText()).isEqualTo("udp");
        assertThat(o.get("description").asText()).isEqualTo("Primary SBC");
        assertThat(o.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }

    @Test
    void put_promotesABackup_asTheSeedShows() throws Exception {
        JsonNode created = create("{\"uri\": \"sip:provider@sip.example.com:5060\", \"name\": \"Backup SBC\", \"priority\": 2}");
        String id = created.get("id").asText();
        api.clock.advance(java.time.Duration.ofSeconds(1)); // updated_at has whole seconds

        Reply reply = api.put(api.vobiz(URIS + "/" + id), "{\"name\": \"Backup SBC\", \"priority\": 1}");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode o = reply.json();
        assertThat(o.get("id").asText()).isEqualTo(id);
        assertThat(o.get("priority").asInt()).isEqualTo(1);
        assertThat(o.get("description").asText()).isEqualTo("Backup SBC");
        assertThat(o.get("uri").asText()).isEqualTo("sip:provider@sip.example.com:5060");
        assertThat(Instant.parse(o.get("updated_at").asText())).isAfter(Instant.parse(created.get("updated_at").asText()));
        assertThat(o.get("created_at").asText()).isEqualTo(created.get("created_at").asText());
    }

    @Test
    void put_demotesAPrimary_andTakesWeightAndEnabled() throws Exception {
        String id = create("{\"uri\": \"sip:sbc1.example.com\", \"name\": \"Primary SBC\"}").get("id").asText();

        Reply reply = api.put(api.vobiz(URIS + "/" + id), "{\"name\": \"Primary SBC\", \"priority\": 3, \"weight\": 0, \"enabled\": false}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("priority").asInt()).isEqualTo(3);
        assertThat(reply.json().get("weight").asInt()).isZero();
        assertThat(reply.json().get("enabled").asBoolean()).isFalse();
    }

    @Test
    void put_refusesBadValues_andChangesNothing() throws Exception {
        String id = create("{\"uri\": \"sip:sbc1.example.com\", \"name\": \"Primary SBC\"}").get("id").asText();

        Reply badPriority = api.put(api.vobiz(URIS + "/" + id), "{\"name\": \"x\", \"priority\": 0}");
        Reply wrongType = api.put(api.vobiz(URIS + "/" + id), "{\"name\": \"x\", \"priority\": \"high\"}");
        Reply twoNames = api.put(api.vobiz(URIS + "/" + id), "{\"name\": \"x\", \"description\": \"y\"}");
        Reply otherId = api.put(api.vobiz(URIS + "/" + id), "{\"id\": \"aabbccdd-1234-5678-90ab-cdef12345678\", \"priority\": 2}");

        assertThat(badPriority.status()).isEqualTo(422);
        assertThat(badPriority.json().get("error").asText()).isEqualTo("priority: 0 (expected: >= 1)");
        assertThat(wrongType.status()).isEqualTo(422);
        assertThat(wrongType.json().get("error").asText()).isEqualTo("priority: \"high\" (expected: an integer)");
        assertThat(twoNames.status()).isEqualTo(422);
        assertThat(twoNames.json().get("error").asText()).startsWith("description: \"y\" differs from name");
        assertThat(otherId.status()).isEqualTo(422);
        assertThat(otherId.json().get("error").asText()).startsWith("id: ");
        JsonNode now = api.send(api.vobiz(URIS + "/" + id)).json();
        assertThat(now.get("priority").asInt()).isEqualTo(1);
        assertThat(now.get("description").asText()).isEqualTo("Primary SBC");
    }

    @Test
    void listRetrieveDelete() throws Exception {
        String a = create("{\"uri\": \"sip:127.0.0.1:5071\"}").get("id").asText();
        create("{\"uri\": \"sip:127.0.0.1:5072;transport=tcp\"}");

        JsonNode list = api.send(api.vobiz(URIS)).json();
        assertThat(list.get("meta").get("total").asInt()).isEqualTo(2);
        assertThat(list.get("objects").get(1).get("transport").asText()).isEqualTo("tcp");
        assertThat(api.send(api.vobiz(URIS + "/" + a)).json().get("uri").asText()).isEqualTo("sip:127.0.0.1:5071");
        assertThat(api.send(api.vobiz(URIS + "/" + a).DELETE()).status()).isEqualTo(204);
        assertThat(api.send(api.vobiz(URIS)).json().get("meta").get("total").asInt()).isEqualTo(1);
    }

    @Test
    void create_invalidUri_is422FromTheCoreValidator() throws Exception {
        Reply reply = api.post(api.vobiz(URIS), "{\"uri\": \"sip:\"}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("error").asText()).isEqualTo("uri: \"sip:\" has no host");
    }

    @Test
    void bothFlavoursShareOneStore() throws Exception {
        String id = create("{\"uri\": \"sip:127.0.0.1:5071\", \"name\": \"shared\"}").get("id").asText();

        JsonNode plivo = api.send(api.plivo("/v1/Account/" + ONE + "/Zentrunk/URI/" + id + "/")).json();
        assertThat(plivo.get("name").asText()).isEqualTo("shared");

        api.post(api.plivo("/v1/Account/" + ONE + "/Zentrunk/URI/" + id + "/"), "{\"name\": \"renamed\"}");
        assertThat(api.send(api.vobiz(URIS + "/" + id)).json().get("description").asText()).isEqualTo("renamed");
    }
}
