package io.sipvane.admin;

import static io.sipvane.admin.AdminFixture.ONE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sipvane.admin.AdminFixture.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trunk and URI requests plivo-cli sends ({@code cmd/sip_write.go}: {@code runSIPTrunksCreate},
 * {@code runSIPTrunksUpdate}, {@code listTrunks}; {@code cmd/sip_uri.go}, {@code runSIPURIsGet}) and
 * the fields it reads back ({@code trunk_status}, {@code trunk_domain}, {@code sip_user}).
 */
class PlivoCliTrunkTest {
    static final String TRUNKS = "/v1/Account/" + ONE + "/Zentrunk/Trunk/";
    static final String URIS = "/v1/Account/" + ONE + "/Zentrunk/URI/";

    @TempDir
    Path dir;
    AdminFixture api;
    String uri;

    @BeforeEach
    void start() throws Exception {
        api = new AdminFixture(dir);
        uri = api.post(api.plivo(URIS), "{\"name\": \"eleven\", \"uri\": \"sip:agent@127.0.0.1:5071\"}").json().get("uri_uuid").asText();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    String trunk() throws Exception {
        // runSIPTrunksCreate: {"name", "trunk_direction", "primary_uri_uuid"}
        Reply r = api.post(api.plivo(TRUNKS), "{\"name\": \"my-trunk\", \"trunk_direction\": \"inbound\", \"primary_uri_uuid\": \"" + uri
                + "\", \"match\": {\"domains\": [\"my-trunk.example.net\"]}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("trunk_id").asText();
    }

    // runSIPTrunksCreate reads the trunk back and prints trunk_status and trunk_domain.
    @Test
    void readBack_showsWhatTheRouterKnows() throws Exception {
        JsonNode t = api.send(api.plivo(TRUNKS + trunk() + "/")).json();

        assertThat(t.get("trunk_status").asText()).isEqualTo("enabled");
        assertThat(t.get("trunk_domain").asText()).isEqualTo("my-trunk.example.net");
        assertThat(t.get("secure").asBoolean()).isFalse();
        assertThat(t.get("ipacl_uuid").isNull()).isTrue();
        assertThat(t.get("credential_uuid").isNull()).isTrue();
        assertThat(t.get("primary_uri_uuid").asText()).isEqualTo(uri);
    }

    // runSIPTrunksUpdate: `--status disabled` sends {"trunk_status": "disabled"}; never silently ignored.
    @Test
    void update_trunkStatusDisabled_isRefused_enabledIsAccepted() throws Exception {
        String id = trunk();

        Reply disabled = api.post(api.plivo(TRUNKS + id + "/"), "{\"trunk_status\": \"disabled\"}");
        Reply enabled = api.post(api.plivo(TRUNKS + id + "/"), "{\"trunk_status\": \"enabled\"}");

        assertThat(disabled.status()).isEqualTo(422);
        assertThat(disabled.json().get("error").asText()).startsWith("trunk_status: \"disabled\"");
        assertThat(enabled.status()).isEqualTo(200);
        assertThat(api.store.current().trunk(java.util.UUID.fromString(id)).orElseThrow().name()).isEqualTo("my-trunk");
    }

    // runSIPTrunksCreate/Update: --secure, --credential, --ip-acl become secure, credential_uuid, ipacl_uuid.
    @Test
    void unsupportedTrunkFields_are422_andCreateNothing() throws Exception {
        Reply secure = api.post(api.plivo(TRUNKS), "{\"name\": \"s\", \"trunk_direction\": \"inbound\", \"secure\": true}");
        Reply acl = api.post(api.plivo(TRUNKS), "{\"name\": \"s\", \"ipacl_uuid\": \"aabbccdd-1234-5678-90ab-cdef12345678\"}");
        Reply credential = api.post(api.plivo(TRUNKS), "{\"name\": \"s\", \"credential_uuid\": \"aabbccdd-1234-5678-90ab-cdef12345678\"}");
        Reply outbound = api.post(api.plivo(TRUNKS), "{\"name\": \"o\", \"trunk_direction\": \"outbound\"}");
        Reply domain = api.post(api.plivo(TRUNKS), "{\"name\": \"d\", \"trunk_domain\": \"x.example.net\"}");
        Reply insecure = api.post(api.plivo(TRUNKS), "{\"name\": \"ok\", \"secure\": false}");

        assertThat(secure.json().get("error").asText()).startsWith("secure: true");
        assertThat(acl.json().get("error").asText()).startsWith("ipacl_uuid: ");
        assertThat(credential.json().get("error").asText()).startsWith("credential_uuid: ");
        assertThat(outbound.json().get("error").asText()).startsWith("trunk_direction: \"outbound\"");
        assertThat(domain.json().get("error").asText()).startsWith("trunk_domain: ");
        for (Reply r : new Reply[] {secure, acl, credential, outbound, domain}) {
            assertThat(r.status()).isEqualTo(422);
        }
        assertThat(insecure.status()).isEqualTo(201);
        assertThat(api.store.current().trunks()).hasSize(2); // the fixture's and "ok"
    }

    // The Zentrunk list filter ?trunk_direction= (plivo-cli passes list query flags through).
    @Test
    void list_filtersByTrunkDirection() throws Exception {
        trunk();

        assertThat(api.send(api.plivo(TRUNKS + "?trunk_direction=inbound")).json().get("objects")).hasSize(2);
        assertThat(api.send(api.plivo(TRUNKS + "?trunk_direction=outbound")).json().get("objects")).isEmpty();
        assertThat(api.send(api.plivo(TRUNKS + "?trunk_direction=sideways")).status()).isEqualTo(400);
        JsonNode page = api.send(api.plivo(TRUNKS + "?trunk_direction=inbound&limit=1")).json().get("meta");
        assertThat(page.get("next").asText()).isEqualTo("v1/Account/" + ONE + "/Zentrunk/Trunk/?trunk_direction=inbound&limit=1&offset=1");
    }

    // runSIPURIsGet prints sip_user.
    @Test
    void uri_showsSipUser() throws Exception {
        JsonNode u = api.send(api.plivo(URIS + uri + "/")).json();

        assertThat(u.get("sip_user").asText()).isEqualTo("agent");
    }
}
