package io.sipvane.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipvane.admin.AdminFixture.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document is served, and the contract check really refuses what the document does not allow. */
class OpenApiContractTest {
    static final URI VOBIZ_URI = URI.create("http://127.0.0.1/api/v1/Account/" + AdminFixture.ONE
            + "/origination-uris/aabbccdd-1234-5678-90ab-cdef12345678");
    static final String OBJECT = """
            {"id": "aabbccdd-1234-5678-90ab-cdef12345678", "account_id": "MAONE000000000000000", "uri": "sip:a",
             "priority": 1, "weight": 10, "enabled": true, "transport": "udp", "description": "",
             "created_at": "2026-05-10T10:45:30Z", "updated_at": "2026-05-10T10:45:30Z"}""";

    @Test
    void openapiJson_isServedFromTheJar(@TempDir Path dir) throws Exception {
        try (AdminFixture api = new AdminFixture(dir)) {
            Reply reply = api.send(HttpRequest.newBuilder(URI.create(api.base + "/openapi.json")));

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().get("openapi").asText()).isEqualTo("3.1.0");
            assertThat(reply.json().get("paths").has("/api/v1/Account/{auth_id}/trunks/origination-uris")).isTrue();
        }
    }

    @Test
    void aVobizObjectWithAnExtraKey_isRefused() {
        OpenApiContract.check("GET", VOBIZ_URI, 200, "application/json", OBJECT);

        assertThatThrownBy(() -> OpenApiContract.check("GET", VOBIZ_URI, 200, "application/json",
                OBJECT.replace("{\"id\"", "{\"api_id\": \"aabbccdd-1234-5678-90ab-cdef12345678\", \"id\"")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("api_id");
        assertThatThrownBy(() -> OpenApiContract.check("GET", VOBIZ_URI, 200, "application/json",
                OBJECT.replace("\"priority\": 1", "\"priority\": \"1\"")))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void anUndocumentedStatus_isRefused() {
        assertThatThrownBy(() -> OpenApiContract.check("GET", VOBIZ_URI, 409, "application/json",
                "{\"api_id\": \"aabbccdd-1234-5678-90ab-cdef12345678\", \"error\": \"x\"}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("not documented");
    }
}
