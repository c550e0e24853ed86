package io.sipvane.server;

import static io.sipvane.sip.testing.Sipp.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.sip.testing.Sipp;
import io.sipvane.sip.testing.Sipp.Uas;
import io.sipvane.sip.testing.TestUa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package the build makes ({@code target/sipvane_<version>_all.deb}, so this runs
 * in the integration-test phase, after package): its contents and control files, the systemd
 * unit through {@code systemd-analyze verify}, then an install with {@code dpkg -i} on this
 * machine (as root), {@code sipvane check} on the installed config, the installed launcher
 * answering a SIPp call, and a purge that removes the config directory, store journal included.
 */
class DebianPackageTest {
    @TempDir
    Path dir;
    private Sipp sipp;

    @BeforeEach
    void startSipp() {
        sipp = new Sipp(dir);
    }

    @AfterEach
    void purge() throws Exception {
        sipp.close();
        run("dpkg", "--purge", "sipvane");
    }

    @Test
    void packageInstallsAUserAConffileAHardenedUnitAndALauncherThatRoutes() throws Exception {
        Path deb;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().matches("sipvane_.+_all\\.deb")).toList();
            assertThat(debs).as("the package built by mvn package").hasSize(1);
            deb = debs.get(0);
        }
        assertThat(run("dpkg-deb", "-f", deb.toString(), "Package", "Architecture")).contains("Package: sipvane", "Architecture: all");
        assertThat(run("dpkg-deb", "-c", deb.toString())).contains("./usr/share/sipvane/sipvane.jar")
                .containsPattern("-rwxr-xr-x root/root .* \\./usr/bin/sipvane")
                .contains("./etc/sipvane/sipvane.yaml", "./etc/default/sipvane", "./lib/systemd/system/sipvane.service");
        assertThat(run("dpkg-deb", "-I", deb.toString(), "conffiles")).contains("/etc/sipvane/sipvane.yaml");
        Path extracted = dir.resolve("extracted");
        run("dpkg-deb", "-x", deb.toString(), extracted.toString());
        String unit = Files.readString(extracted.resolve("lib/systemd/system/sipvane.service"));
        assertThat(unit).contains("EnvironmentFile=-/etc/default/sipvane", "ExecReload=/bin/kill -HUP $MAINPID",
                "Restart=on-failure", "NoNewPrivileges=true", "ProtectSystem=strict", "ReadWritePaths=/etc/sipvane",
                "AmbientCapabilities=CAP_NET_BIND_SERVICE", "User=sipvane");

        assertThat(run("id", "-u").trim()).as("dpkg -i needs root (as .ci/run runs)").isEqualTo("0");
        assertThat(run("dpkg", "-i", deb.toString())).contains("Setting up sipvane");
        assertThat(run("id", "-un", "sipvane").trim()).isEqualTo("sipvane");
        assertThat(run("stat", "-c", "%U:%G %a", "/etc/sipvane", "/etc/sipvane/sipvane.yaml"))
                .isEqualTo("sipvane:sipvane 750\nsipvane:sipvane 640\n");
        // verify wants the unit's commands installed: after dpkg -i they are
        run("systemd-analyze", "verify", "/lib/systemd/system/sipvane.service");
        assertThat(run("/usr/bin/sipvane", "check")).contains("/etc/sipvane/sipvane.yaml: valid");
        assertThat(run("/usr/bin/sipvane", "--version")).startsWith("sipvane ");

        // the installed launcher (not systemd) on the shipped config moved to free ports, answering a call
        Uas pbx = sipp.uas("pbx", "uas_rr.xml");
        int port = TestUa.freePort();
        Path config = dir.resolve("sipvane.yaml");
        Files.writeString(config, Files.readString(Path.of("/etc/sipvane/sipvane.yaml"))
                .replace("udp:127.0.0.1:5060", "udp:127.0.0.1:" + port).replace("tcp:127.0.0.1:5060", "tcp:127.0.0.1:" + port)
                .replace("127.0.0.1:8080", "127.0.0.1:0").replace("sip:127.0.0.1:5071", pbx.uri())
                .replace("sip:127.0.0.1:5072", pbx.uri()).replace("sip:127.0.0.1:5073", pbx.uri()));
        Path log = dir.resolve("router.log");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/sipvane", "--config", config.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SIPVANE_JAVA_OPTS", "-Xms64m -Xmx256m");
        Process router = pb.start();
        try {
            await("installed router ready, log:\n" + Sipp.tail(log), () -> {
                assertThat(router.isAlive()).as("router running, log:\n" + Sipp.tail(log)).isTrue();
                return Sipp.tail(log).contains("sipvane ready") || read(log).contains("sipvane ready");
            });
            assertThat(sipp.runUac(port, 1, 1).get("SuccessfulCall(C)")).isEqualTo(1);
        } finally {
            router.destroy();
            assertThat(router.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(router.exitValue()).as("exit status after SIGTERM").isZero();

        // the file store's journal, which a router run on /etc/sipvane/sipvane.yaml leaves beside it
        Files.writeString(Path.of("/etc/sipvane/.sipvane.yaml.journal"), "");
        run("dpkg", "--purge", "sipvane");
        assertThat(Path.of("/etc/sipvane")).as("the purge leaves nothing of the config directory").doesNotExist();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** Runs a command to the end; fails with its output unless it exits 0. */
    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + text).isZero();
        return text;
    }
}
