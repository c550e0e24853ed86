package io.sipvane.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class OriginationUriTest {
    private static final UUID ID = UUID.fromString("f19c4773-4ae6-4b75-92ea-9cf3ea4227d6");

    private static OriginationUri uri(String uri, Transport transport, boolean auth, String user, String password) {
        return new OriginationUri(ID, "MAX00000000000000000", null, "pbx", uri, null, 1, 10, true, transport, auth, user, password, null, null);
    }

    @Test
    void transport_defaultsFromTheUri() {
        assertThat(uri("sip.example.com", null, false, null, null).transport()).isEqualTo(Transport.UDP);
        assertThat(uri("sip:pbx.example.com;transport=tcp", null, false, null, null).transport()).isEqualTo(Transport.TCP);
        assertThat(uri("sips:pbx.example.com", null, false, null, null).transport()).isEqualTo(Transport.TLS);
    }

    @Test
    void transport_conflictWithTheUriParameterIsAnError() {
        assertThatThrownBy(() -> uri("sip:pbx.example.com;transport=tcp", Transport.UDP, false, null, null))
                .hasMessage("transport: udp conflicts with ;transport=tcp in uri \"sip:pbx.example.com;transport=tcp\"");
        assertThatThrownBy(() -> uri("sips:pbx.example.com", Transport.TCP, false, null, null))
                .hasMessage("transport: tcp cannot carry a sips: uri (expected: tls)");
    }

    @Test
    void authentication_needsUsernameAndPassword() {
        assertThatThrownBy(() -> uri("sip.example.com", null, true, null, "pw")).hasMessageStartingWith("username: missing");
        assertThatThrownBy(() -> uri("sip.example.com", null, true, "bob", "")).hasMessageStartingWith("password: blank");
        assertThat(uri("sip.example.com", null, true, "bob", "pw").authenticationNeeded()).isTrue();
    }

    @Test
    void toString_neverShowsThePassword() {
        OriginationUri u = uri("sip.example.com", null, true, "bob", "s3cr3t-pa55");

        assertThat(u.toString()).doesNotContain("s3cr3t-pa55").contains("sip.example.com");
        assertThat(Account.withToken("MAX00000000000000000", "t0ken-value").toString()).doesNotContain("t0ken-value");
    }

    @Test
    void ranges_nameTheField() {
        assertThatThrownBy(() -> new OriginationUri(ID, "MAX00000000000000000", null, null, "sip.example.com", null, 1, -1, true, null,
                false, null, null, null, null)).hasMessage("weight: -1 (expected: 0..65535)");
        assertThatThrownBy(() -> OriginationUri.of(ID, "MAX00000000000000000", null, "sip.example.com", 0, 10))
                .hasMessage("priority: 0 (expected: >= 1)");
        assertThatThrownBy(() -> OriginationUri.of(ID, " ", null, "sip.example.com", 1, 10))
                .hasMessageStartingWith("account_id: blank");
    }

    @Test
    void transportParse_isCaseInsensitive_andNamesBadValues() {
        assertThat(Transport.parse("TCP")).isEqualTo(Transport.TCP);
        assertThatThrownBy(() -> Transport.parse("sctp")).hasMessage("transport: \"sctp\" (expected: udp, tcp or tls)");
    }

    @Test
    void account_needsExactlyOneTokenSource() {
        assertThatThrownBy(() -> new Account("MAX00000000000000000", null, null, null)).hasMessageContaining("exactly one of auth_token and auth_token_env");
        assertThatThrownBy(() -> new Account("MAX00000000000000000", "t", "ENV", null)).hasMessageContaining("exactly one");
        assertThat(new Account("MAX00000000000000000", null, "SIPVANE_SURELY_UNSET_VARIABLE", null).resolveToken()).isNull();
    }

    @Test
    void failoverPolicy_overrideInheritsUnsetFields() {
        FailoverPolicy base = FailoverPolicy.DEFAULT;
        FailoverPolicy merged = base.with(new FailoverOverride(null, 700, null));

        assertThat(merged.attemptTimeoutMs()).isEqualTo(700);
        assertThat(merged.onCodes()).isEqualTo(base.onCodes());
        assertThat(merged.failsOverOn(503)).isTrue();
        assertThat(merged.failsOverOn(486)).isFalse();
        assertThatThrownBy(() -> new FailoverOverride(java.util.List.of(503, 503), null, null))
                .hasMessage("on_codes[1]: 503 listed twice");
    }
}
