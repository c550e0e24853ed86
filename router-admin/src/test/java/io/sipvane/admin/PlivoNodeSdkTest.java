package io.sipvane.admin;

import static io.sipvane.admin.AdminFixture.ONE;
import static io.sipvane.admin.AdminFixture.ONE_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Plivo Node SDK (npm {@code plivo}, pinned in src/test/node/package-lock.json and
 * installed into target/plivo-node by .ci/run) driving the Plivo flavour over real HTTP: its own
 * request layer, only the base URL changed (src/test/node/plivo-zentrunk.js). Every HTTP exchange
 * is also checked against the OpenAPI document. Without node or the installed package the test
 * fails, saying how to install it.
 */
class PlivoNodeSdkTest {
    static final Path MODULES = Path.of("target", "plivo-node", "node_modules");

    @TempDir
    Path dir;

    @Test
    void plivoNodeSdk_createListGetUpdateDelete_urisAndTrunks() throws Exception {
        assertThat(MODULES.resolve("plivo")).as("the plivo npm package: run .ci/run, or "
                + "mkdir -p router-admin/target/plivo-node && cp router-admin/src/test/node/package*.json router-admin/target/plivo-node/"
                + " && npm ci --prefix router-admin/target/plivo-node").isDirectory();
        try (AdminFixture api = new AdminFixture(dir)) {
            ProcessBuilder pb = new ProcessBuilder("node", Path.of("src", "test", "node", "plivo-zentrunk.js").toString(),
                    api.base, ONE, ONE_TOKEN).redirectErrorStream(true);
            pb.environment().put("NODE_PATH", MODULES.toAbsolutePath().toString());
            Path output = dir.resolve("node.out");
            pb.redirectOutput(output.toFile());
            Process node = pb.start();
            assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("node finished").isTrue();
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            assertThat(node.exitValue()).as(String.join("\n", lines)).isZero();

            Map<String, JsonNode> ops = new LinkedHashMap<>();
            int exchanges = 0;
            for (String line : lines) {
                JsonNode j = Json.MAPPER.readTree(line);
                assertThat(j.has("fatal")).as(line).isFalse();
                if (j.has("wire")) {
                    JsonNode w = j.get("wire");
                    OpenApiContract.check(w.get("method").asText(), URI.create(w.get("url").asText()), w.get("status").asInt(),
                            w.get("contentType").asText(), w.get("data").asText());
                    exchanges++;
                } else {
                    ops.put(j.get("op").asText(), j);
                }
            }

            assertThat(exchanges).isEqualTo(14);
            assertThat(ops.get("createUri").get("status").asInt()).isEqualTo(201);
            assertThat(ops.get("createUri").get("body").get("message").asText()).isEqualTo("Origination URI created successfully.");
            assertThat(ops.get("createUriWithAuth").get("status").asInt()).isEqualTo(201);
            assertThat(ops.get("listUris").get("body").get("meta").get("total_count").asInt()).isEqualTo(2);
            assertThat(ops.get("getUri").get("body").get("name").asText()).isEqualTo("primary-pbx");
            assertThat(ops.get("updateUri").get("status").asInt()).isEqualTo(200);
            assertThat(ops.get("createTrunk").get("status").asInt()).isEqualTo(201);
            assertThat(ops.get("getTrunk").get("body").get("trunk_status").asText()).isEqualTo("enabled");
            assertThat(ops.get("listTrunks").get("body").get("objects")).hasSize(2);
            assertThat(ops.get("disableTrunk").has("error")).isTrue(); // refused, not ignored
            assertThat(ops.get("disableTrunk").get("status").asInt()).isEqualTo(422);
            assertThat(ops.get("renameTrunk").get("status").asInt()).isEqualTo(200);
            assertThat(ops.get("deleteUsedUri").has("error")).isTrue();
            assertThat(ops.get("deleteUsedUri").get("status").asInt()).isEqualTo(409);
            assertThat(ops.get("deleteTrunk").get("status").asInt()).isEqualTo(204);
            assertThat(ops.get("deleteUri").get("status").asInt()).isEqualTo(204);
            assertThat(ops.get("getDeletedUri").has("error")).isTrue();
            assertThat(ops.get("getDeletedUri").get("status").asInt()).isEqualTo(404);
            assertThat(api.store.current().originationUri(java.util.UUID.fromString(
                    ops.get("createUri").get("body").get("uri_uuid").asText()))).isEmpty();
        }
    }
}
