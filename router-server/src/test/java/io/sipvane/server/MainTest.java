package io.sipvane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipvane.sip.testing.TestUa;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    @Test
    void parseArgs_defaultsToConfigDirectory() {
        assertThat(Main.parseArgs(new String[0])).isEqualTo(Path.of("config/sipvane.yaml"));
        assertThat(Main.parseArgs(new String[] {"--config", "x.yaml"})).isEqualTo(Path.of("x.yaml"));
        assertThat(Main.parseArgs(new String[] {"--config=y.yaml"})).isEqualTo(Path.of("y.yaml"));
    }

    @Test
    void boot_unknownArgumentIsUsageError() {
        assertThatThrownBy(() -> Main.boot(new String[] {"--nope"}))
                .isInstanceOfSatisfying(Main.StartupException.class, e -> assertThat(e.status).isEqualTo(2));
    }

    @Test
    void boot_badConfigFailsNamingPathAndLine() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "sip:\n  listen: [\"udp:127.0.0.1:5060\"]\n  failover:\n    max_attempts: -3\n");

        assertThatThrownBy(() -> Main.boot(new String[] {"--config", file.toString()}))
                .isInstanceOfSatisfying(Main.StartupException.class, e -> {
                    assertThat(e.status).isEqualTo(1);
                    assertThat(e.getMessage()).contains("max_attempts").contains("line 4");
                });
    }

    @Test
    void boot_routeSecretVariableNotSet_failsNamingIt() throws Exception {
        Path file = dir.resolve("secret.yaml");
        Files.writeString(file, "sip:\n  listen: [\"udp:127.0.0.1:" + TestUa.freePort()
                + "\"]\n  route_secret_env: SIPVANE_TEST_NO_SUCH_VARIABLE\nadmin: { listen: \"127.0.0.1:0\" }\n");

        assertThatThrownBy(() -> Main.boot(new String[] {"--config", file.toString()}))
                .isInstanceOfSatisfying(Main.StartupException.class, e -> {
                    assertThat(e.status).isEqualTo(1);
                    assertThat(e.getMessage()).contains("SIPVANE_TEST_NO_SUCH_VARIABLE is not set");
                });
    }

    @Test
    void boot_shippedConfigStartsAndStops() throws Exception {
        // the default config binds 5060; use a copy on a free port instead
        int port = TestUa.freePort();
        String yaml = Files.readString(Path.of("../config/sipvane.yaml"))
                .replace("udp:127.0.0.1:5060", "udp:127.0.0.1:" + port)
                .replace("tcp:127.0.0.1:5060", "tcp:127.0.0.1:" + port)
                .replace("127.0.0.1:8080", "127.0.0.1:0");
        Path file = dir.resolve("sipvane.yaml");
        Files.writeString(file, yaml);

        Sipvane server = Main.boot(new String[] {"--config", file.toString()});
        assertThat(server.adminPort()).isPositive();
        server.stop();
    }
}
