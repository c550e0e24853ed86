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

    @Test
    void boot_busySipPortNamesTransportAddressAndKey() throws Exception {
        try (java.net.DatagramSocket busy = new java.net.DatagramSocket(0, java.net.InetAddress.getByName("127.0.0.1"))) {
            Path file = config(busy.getLocalPort(), 0);

            assertThatThrownBy(() -> Main.boot(new String[] {"--config", file.toString()}))
                    .isInstanceOfSatisfying(Main.StartupException.class, e -> {
                        assertThat(e.status).isEqualTo(1);
                        assertThat(e.getMessage()).contains("UDP on 127.0.0.1:" + busy.getLocalPort())
                                .contains("sip.listen[0]").containsIgnoringCase("in use");
                    });
        }
    }

    @Test
    void boot_busyAdminPortNamesAddressAndKey() throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Path file = config(TestUa.freePort(), busy.getLocalPort());

            assertThatThrownBy(() -> Main.boot(new String[] {"--config", file.toString()}))
                    .isInstanceOfSatisfying(Main.StartupException.class, e -> {
                        assertThat(e.status).isEqualTo(1);
                        assertThat(e.getMessage()).contains("127.0.0.1:" + busy.getLocalPort()).contains("admin.listen")
                                .containsIgnoringCase("in use");
                    });
        }
    }

    @Test
    void versionHelpAndCheck_answerWithoutStarting() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream o = new java.io.PrintStream(out, true);
        java.io.PrintStream e = new java.io.PrintStream(err, true);

        assertThat(Main.command(new String[] {"--version"}, o, e)).isZero();
        assertThat(out.toString()).matches("sipvane \\S+ \\(commit \\w+\\)\\R");
        out.reset();
        assertThat(Main.command(new String[] {"--help"}, o, e)).isZero();
        assertThat(out.toString()).contains("sipvane check").contains("Exit status");
        out.reset();
        assertThat(Main.command(new String[] {"check", "--config", "../config/sipvane.yaml"}, o, e)).isZero();
        assertThat(out.toString()).contains("valid (1 account(s), 1 trunk(s), 3 origination URI(s))");

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "sip:\n  failover:\n    max_attempts: -3\n");
        assertThat(Main.command(new String[] {"check", "--config", bad.toString()}, o, e)).isEqualTo(1);
        assertThat(err.toString()).contains("sip.failover.max_attempts").contains("line 3");
        Path badKey = Files.writeString(dir.resolve("tls.yaml"), "tls:\n  certificate: /nonexistent/router.crt\n"
                + "  key: /nonexistent/router.key\n");
        assertThat(Main.command(new String[] {"check", "--config", badKey.toString()}, o, e)).isEqualTo(1);
        assertThat(err.toString()).contains("invalid TLS files").contains("tls.certificate: /nonexistent/router.crt");
        assertThat(Main.command(new String[] {"check", "--nope"}, o, e)).isEqualTo(2);
        assertThat(Main.command(new String[] {"--config", "x.yaml"}, o, e)).as("runs the router").isNull();
    }

    private Path config(int sipPort, int adminPort) throws java.io.IOException {
        String yaml = Files.readString(Path.of("../config/sipvane.yaml"))
                .replace("udp:127.0.0.1:5060", "udp:127.0.0.1:" + sipPort)
                .replace("tcp:127.0.0.1:5060", "tcp:127.0.0.1:" + sipPort)
                .replace("127.0.0.1:8080", "127.0.0.1:" + adminPort);
        Path file = dir.resolve("sipvane-" + sipPort + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
