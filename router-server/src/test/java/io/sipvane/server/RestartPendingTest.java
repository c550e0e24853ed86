package io.sipvane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipvane.core.config.ConfigLoader;
import io.sipvane.core.config.SipvaneConfig;
import org.junit.jupiter.api.Test;

class RestartPendingTest {
    private static final String BASE = """
            sip: { listen: ["udp:127.0.0.1:5060"], max_in_flight: 100 }
            admin: { listen: "127.0.0.1:8080" }
            health: { down_after: 2 }
            """;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RestartPending pending = new RestartPending(parse(BASE), registry);

    @Test
    void hotChanges_leaveNothingPending() {
        pending.published(parse(BASE.replace("max_in_flight: 100", "max_in_flight: 5")));

        assertThat(pending.keys()).isEmpty();
        assertThat(gauge()).isZero();
    }

    @Test
    void restartOnlyChanges_areNamed_andClearWhenTheFileMatchesAgain() {
        pending.published(parse(BASE.replace("udp:127.0.0.1:5060", "udp:127.0.0.1:5070")
                .replace("127.0.0.1:8080", "127.0.0.1:8090").replace("down_after: 2", "down_after: 3")));

        assertThat(pending.keys()).containsExactly("sip.listen", "admin.listen", "health.down_after");
        assertThat(gauge()).isEqualTo(1);

        pending.published(parse(BASE));
        assertThat(pending.keys()).isEmpty();
        assertThat(gauge()).isZero();
    }

    @Test
    void tlsListenerSettings_needARestart_butTheFilesAndDestinationRulesDoNot() {
        pending.published(parse(BASE + "tls: { ca: /etc/ca.pem, client_auth: optional, min_version: TLSv1.3 }\n"));
        assertThat(pending.keys()).containsExactly("tls.client_auth", "tls.min_version");

        pending.published(parse(BASE + "tls: { certificate: /etc/a.crt, key: /etc/a.key, destinations: [{host: x, verify: false}] }\n"));
        assertThat(pending.keys()).isEmpty();
    }

    private double gauge() {
        return registry.get("sipvane.config.restart.pending").gauge().value();
    }

    private static SipvaneConfig parse(String yaml) {
        try {
            return ConfigLoader.parse(yaml, "test.yaml");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
