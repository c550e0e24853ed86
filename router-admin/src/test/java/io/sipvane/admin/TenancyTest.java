package io.sipvane.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.admin.AdminFixture.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second tenant trying to take the first one's calls or learn about its objects, over HTTP. */
class TenancyTest {
    static final String A = "MAAAAA00000000000000";
    static final String B = "MABBBB00000000000000";
    static final String OP = "MAOPER00000000000000";
    static final String A_TRUNK = "7f0c1f5e-0000-4000-8000-00000000000a";
    static final String A_URI = "aabbccdd-1234-5678-90ab-cdef1234000a";
    static final String CONFIG = """
            sip:
              listen: ["udp:127.0.0.1:5060"]
            admin:
              listen: "127.0.0.1:0"
            accounts:
              - auth_id: MAAAAA00000000000000
                auth_token: "token-a"
              - auth_id: MABBBB00000000000000
                auth_token: "token-b"
              - auth_id: MAOPER00000000000000
                auth_token: "token-op"
                operator: true
            trunks:
              - id: 7f0c1f5e-0000-4000-8000-00000000000a
                account_id: MAAAAA00000000000000
                name: a-secret-trunk-name
                match: { numbers: ["+1415"], domains: ["a.example.net"] }
            origination_uris:
              - id: aabbccdd-1234-5678-90ab-cdef1234000a
                account_id: MAAAAA00000000000000
                uri: "sip:127.0.0.1:5071"
            """;

    @TempDir
    Path dir;
    AdminFixture api;

    @BeforeEach
    void start() throws Exception {
        api = new AdminFixture(dir, CONFIG);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    Reply trunkAs(String account, String token, String match) throws Exception {
        return api.post(api.basic("/v1/Account/" + account + "/Zentrunk/Trunk/", account, token),
                "{\"name\": \"t\", \"match\": " + match + "}");
    }

    @Test
    void overlappingPrefixes_ofAnotherAccount_are409_namingNothingOfIt() throws Exception {
        String before = Files.readString(api.file);

        Reply inside = trunkAs(B, "token-b", "{\"numbers\": [\"+14155\"]}");
        Reply covering = trunkAs(B, "token-b", "{\"numbers\": [\"1\"]}");
        Reply same = trunkAs(B, "token-b", "{\"numbers\": [\"1415\"]}");

        for (Reply r : new Reply[] {inside, covering, same}) {
            assertThat(r.status()).as(r.body()).isEqualTo(409);
            assertThat(r.json().get("error").asText()).startsWith("match.numbers[0]: prefix ")
                    .doesNotContain(A).doesNotContain(A_TRUNK).doesNotContain("a-secret-trunk-name");
        }
        assertThat(Files.readString(api.file)).isEqualTo(before);
    }

    @Test
    void disjointPrefixes_andOwnLongerPrefixes_areAllowed() throws Exception {
        assertThat(trunkAs(B, "token-b", "{\"numbers\": [\"+1650\"], \"domains\": [\"b.example.net\"]}").status()).isEqualTo(201);
        assertThat(trunkAs(A, "token-a", "{\"numbers\": [\"+14155\"]}").status()).isEqualTo(201);
    }

    @Test
    void anotherAccountsDomain_is409() throws Exception {
        Reply reply = trunkAs(B, "token-b", "{\"domains\": [\"A.example.NET\"]}");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().get("error").asText()).isEqualTo("match.domains[0]: domain a.example.net is held by another account");
    }

    @Test
    void updateCannotSneakAClaimIn() throws Exception {
        String id = trunkAs(B, "token-b", "{\"numbers\": [\"+1650\"]}").json().get("trunk_id").asText();

        Reply reply = api.post(api.basic("/v1/Account/" + B + "/Zentrunk/Trunk/" + id + "/", B, "token-b"),
                "{\"match\": {\"numbers\": [\"+1650\", \"+141\"]}}");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().get("error").asText()).startsWith("match.numbers[1]: prefix +141 overlaps");
    }

    @Test
    void defaultTrunk_isOperatorOnly() throws Exception {
        Reply tenant = trunkAs(B, "token-b", "{\"default\": true}");
        Reply operator = trunkAs(OP, "token-op", "{\"default\": true}");

        assertThat(tenant.status()).isEqualTo(403);
        assertThat(tenant.json().get("error").asText()).startsWith("match.default: only an operator account");
        assertThat(operator.status()).as(operator.body()).isEqualTo(201);
    }

    @Test
    void anotherAccountsTrunkOrUri_answersExactlyAsAnUnknownId() throws Exception {
        String unknownTrunk = "7f0c1f5e-0000-4000-8000-0000000000ee";
        String unknownUri = "aabbccdd-1234-5678-90ab-cdef123400ee";
        String uris = "/v1/Account/" + B + "/Zentrunk/URI/";
        String trunks = "/v1/Account/" + B + "/Zentrunk/Trunk/";

        Reply theirTrunk = api.post(api.basic(uris, B, "token-b"), "{\"uri\": \"sip:127.0.0.1\", \"trunk_id\": \"" + A_TRUNK + "\"}");
        Reply noTrunk = api.post(api.basic(uris, B, "token-b"), "{\"uri\": \"sip:127.0.0.1\", \"trunk_id\": \"" + unknownTrunk + "\"}");
        Reply theirUri = api.post(api.basic(trunks, B, "token-b"), "{\"primary_uri_uuid\": \"" + A_URI + "\"}");
        Reply noUri = api.post(api.basic(trunks, B, "token-b"), "{\"primary_uri_uuid\": \"" + unknownUri + "\"}");

        assertThat(theirTrunk.status()).isEqualTo(noTrunk.status()).isEqualTo(422);
        assertThat(theirTrunk.json().get("error").asText().replace(A_TRUNK, "ID"))
                .isEqualTo(noTrunk.json().get("error").asText().replace(unknownTrunk, "ID"));
        assertThat(theirUri.status()).isEqualTo(noUri.status()).isEqualTo(422);
        assertThat(theirUri.json().get("error").asText().replace(A_URI, "ID"))
                .isEqualTo(noUri.json().get("error").asText().replace(unknownUri, "ID"));
        assertThat(theirUri.body()).doesNotContain("another account");
    }
}
