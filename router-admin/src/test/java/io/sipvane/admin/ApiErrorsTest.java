package io.sipvane.admin;

import static io.sipvane.admin.AdminFixture.ONE;
import static io.sipvane.admin.AdminFixture.TWO;
import static io.sipvane.admin.AdminFixture.TWO_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.admin.AdminFixture.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiErrorsTest {
    static final String URIS = "/v1/Account/" + ONE + "/Zentrunk/URI/";

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

    @Test
    void missingOrWrongCredentials_are401WithAChallenge() throws Exception {
        Reply none = api.send(HttpRequest.newBuilder(URI.create(api.base + URIS)));
        Reply wrong = api.send(api.basic(URIS, ONE, "token-two"));
        Reply unknown = api.send(api.basic(URIS, "MANOBODY000000000000", "x"));
        Reply wrongHeader = api.send(HttpRequest.newBuilder(URI.create(api.base + URIS)).header("X-Auth-ID", ONE)
                .header("X-Auth-Token", "nope"));

        for (Reply r : new Reply[] {none, wrong, unknown, wrongHeader}) {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Basic realm=\"sipvane\"");
            assertThat(r.json().has("api_id")).isTrue();
            assertThat(r.json().get("error").asText()).startsWith("authentication failed");
        }
    }

    @Test
    void anotherAccountsPathOrObject_is404() throws Exception {
        Reply created = api.post(api.plivo(URIS), "{\"uri\": \"sip:127.0.0.1:5071\"}");
        String id = created.json().get("uri_uuid").asText();

        Reply otherPath = api.send(api.basic(URIS, TWO, TWO_TOKEN));
        Reply otherObject = api.send(api.basic("/v1/Account/" + TWO + "/Zentrunk/URI/" + id + "/", TWO, TWO_TOKEN));
        Reply otherDelete = api.send(api.basic("/v1/Account/" + TWO + "/Zentrunk/URI/" + id + "/", TWO, TWO_TOKEN).DELETE());
        Reply otherList = api.send(api.basic("/v1/Account/" + TWO + "/Zentrunk/URI/", TWO, TWO_TOKEN));

        assertThat(otherPath.status()).isEqualTo(404);
        assertThat(otherObject.status()).isEqualTo(404);
        assertThat(otherDelete.status()).isEqualTo(404);
        assertThat(otherList.json().get("objects")).isEmpty();
        assertThat(api.store.current().originationUris()).hasSize(1);
    }

    @Test
    void malformedJson_is400() throws Exception {
        Reply reply = api.post(api.plivo(URIS), "{\"uri\": ");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("error").asText()).startsWith("malformed JSON");
        assertThat(api.post(api.plivo(URIS), "[1, 2]").status()).isEqualTo(400);
    }

    @Test
    void wrongMethod_is405WithAllow() throws Exception {
        Reply reply = api.put(api.plivo(URIS), "{}");

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).isEqualTo("GET, POST");
        assertThat(api.send(api.plivo("/metrics").DELETE()).status()).isEqualTo(405);
    }

    @Test
    void oversizedBody_is413() throws Exception {
        String big = "{\"name\": \"" + "x".repeat(AdminServer.MAX_BODY_BYTES) + "\", \"uri\": \"sip:127.0.0.1\"}";

        Reply reply = api.post(api.plivo(URIS), big);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().get("error").asText()).contains("request body over");
        assertThat(api.store.current().originationUris()).isEmpty();
    }

    @Test
    void nonJsonBody_is415() throws Exception {
        Reply reply = api.send(api.plivo(URIS).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("uri=sip.example.com")));

        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.json().get("error").asText()).contains("expected: application/json");
    }

    @Test
    void invalidFields_are422NamingTheField_andChangeNothing() throws Exception {
        String before = Files.readString(api.file);

        assertThat(api.post(api.plivo(URIS), "{\"uri\": \"sip.example.com\", \"weight\": 70000}").json().get("error").asText())
                .isEqualTo("weight: 70000 (expected: 0..65535)");
        assertThat(api.post(api.plivo(URIS), "{\"uri\": \"sip.example.com\", \"priority\": 0}").json().get("error").asText())
                .isEqualTo("priority: 0 (expected: >= 1)");
        assertThat(api.post(api.plivo(URIS), "{\"uri\": 5060}").json().get("error").asText())
                .isEqualTo("uri: 5060 (expected: a string)");
        assertThat(api.post(api.plivo(URIS), "{\"uri\": \"sip.example.com\", \"transport\": \"sctp\"}").json().get("error").asText())
                .isEqualTo("transport: \"sctp\" (expected: udp, tcp or tls)");
        assertThat(api.post(api.plivo(URIS), "{\"uri\": \"sip.example.com\", \"trunk_id\": \"nope\"}").json().get("error").asText())
                .isEqualTo("trunk_id: \"nope\" (expected: a UUID)");
        assertThat(api.send(api.plivo(URIS + "not-a-uuid/")).status()).isEqualTo(422);
        assertThat(Files.readString(api.file)).isEqualTo(before);
    }

    @Test
    void unknownPaths_are404_andProbesAnswer() throws Exception {
        assertThat(api.send(api.plivo("/v2/whatever")).status()).isEqualTo(404);
        assertThat(api.send(api.plivo("/healthz")).json().get("status").asText()).isEqualTo("ok");
        assertThat(api.send(HttpRequest.newBuilder(URI.create(api.base + "/readyz"))).status()).isEqualTo(200);
        Reply metrics = api.send(HttpRequest.newBuilder(URI.create(api.base + "/metrics")));
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
    }
}
