package io.sipvane.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RouteTokenTest {
    private static final byte[] KEY = "a-cluster-wide-route-secret".getBytes(StandardCharsets.UTF_8);
    private final RouteToken tokens = new RouteToken(KEY);

    @Test
    void verify_acceptsEitherDirectionOfTheDialog() {
        String token = tokens.sign("call-1@host", "callerTag");

        assertThat(tokens.verify(token, "call-1@host", "callerTag", "calleeTag")).as("from the caller").isTrue();
        assertThat(tokens.verify(token, "call-1@host", "calleeTag", "callerTag")).as("from the callee").isTrue();
    }

    @Test
    void verify_refusesAnotherDialogOrKeyOrGarbage() {
        String token = tokens.sign("call-1@host", "callerTag");

        assertThat(tokens.verify(token, "call-2@host", "callerTag", "x")).isFalse();
        assertThat(tokens.verify(token, "call-1@host", "other", "x")).isFalse();
        assertThat(new RouteToken("another-key-of-enough-length".getBytes(StandardCharsets.UTF_8))
                .verify(token, "call-1@host", "callerTag", null)).isFalse();
        assertThat(tokens.verify("not base64!", "call-1@host", "callerTag", null)).isFalse();
        assertThat(tokens.verify(null, "call-1@host", "callerTag", null)).isFalse();
    }

    @Test
    void routersSharingAKey_acceptEachOthersTokens() {
        assertThat(new RouteToken(KEY).verify(tokens.sign("c", "t"), "c", "t", null)).isTrue();
    }

    @Test
    void shortOrMissingSecrets_areRefused() {
        assertThatThrownBy(() -> new RouteToken(new byte[8])).hasMessageContaining("expected: >= 16");
        assertThatThrownBy(() -> RouteToken.fromEnvironment("SIPVANE_TEST_UNSET_VARIABLE_XYZ"))
                .hasMessageContaining("sip.route_secret_env").hasMessageContaining("is not set");
    }
}
