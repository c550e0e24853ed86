package io.sipvane.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sipvane} in a copy of the repository layout, with a {@code java} and an
 * {@code mvn} that only record how they were called: the config it passes from another
 * directory, and when it rebuilds.
 */
class BinScriptTest {
    @TempDir
    Path dir;
    private Path repo;
    private Path elsewhere;
    private Path jar;

    @BeforeEach
    void layout() throws Exception {
        repo = dir.resolve("repo");
        elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createDirectories(repo.resolve("bin"));
        Files.copy(Path.of("../bin/sipvane"), repo.resolve("bin/sipvane"));
        executable(repo.resolve("bin/sipvane"));
        Path source = repo.resolve("router-core/src/main/java/A.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class A {}");
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().minusSeconds(3600)));
        Files.setLastModifiedTime(repo.resolve("pom.xml"), FileTime.from(Instant.now().minusSeconds(3600)));
        jar = repo.resolve("router-server/target/sipvane.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar");
        Files.writeString(dir.resolve("java"), "#!/bin/sh\necho \"java $*\" >> \"" + dir.resolve("calls") + "\"\n");
        Files.writeString(dir.resolve("mvn"), "#!/bin/sh\necho \"mvn $* in $(pwd)\" >> \"" + dir.resolve("calls") + "\"\ntouch \""
                + jar + "\"\n");
        executable(dir.resolve("java"));
        executable(dir.resolve("mvn"));
    }

    @Test
    void fromAnotherDirectory_usesTheRepositoryConfig_orAPathRelativeToWhereItRuns() throws Exception {
        run();
        run("--config", "my.yaml");
        run("check");
        run("--version");

        assertThat(Files.readAllLines(dir.resolve("calls"))).containsExactly(
                "java -Djava.net.preferIPv4Stack=true -Djdk.net.usePlainDatagramSocketImpl=true -XX:+UseParallelGC -XX:NewRatio=1 -Xms1g -Xmx1g -jar " + jar + " --config " + repo + "/config/sipvane.yaml",
                "java -Djava.net.preferIPv4Stack=true -Djdk.net.usePlainDatagramSocketImpl=true -XX:+UseParallelGC -XX:NewRatio=1 -Xms1g -Xmx1g -jar " + jar + " --config my.yaml",
                "java -Djava.net.preferIPv4Stack=true -Djdk.net.usePlainDatagramSocketImpl=true -XX:+UseParallelGC -XX:NewRatio=1 -Xms1g -Xmx1g -jar " + jar + " check --config " + repo + "/config/sipvane.yaml",
                "java -Djava.net.preferIPv4Stack=true -Djdk.net.usePlainDatagramSocketImpl=true -XX:+UseParallelGC -XX:NewRatio=1 -Xms1g -Xmx1g -jar " + jar + " --version");
    }

    @Test
    void rebuildsWhenASourceIsNewerThanTheJar_andNotOtherwise() throws Exception {
        run("--version");
        assertThat(Files.readString(dir.resolve("calls"))).doesNotContain("mvn");

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        Files.writeString(repo.resolve("router-core/src/main/java/A.java"), "class A { int changed; }");
        run("--version");

        assertThat(Files.readString(dir.resolve("calls"))).contains("mvn -B -q package -DskipTests in " + repo);
    }

    @Test
    void anotherCollectorInSipvaneJavaOpts_replacesTheParallelOnesFlags() throws Exception {
        runWith("-XX:+UseZGC -Xmx2g", "--version");

        assertThat(Files.readAllLines(dir.resolve("calls"))).containsExactly(
                "java -Djava.net.preferIPv4Stack=true -Djdk.net.usePlainDatagramSocketImpl=true -Xms1g -Xmx1g -XX:+UseZGC -Xmx2g -jar " + jar + " --version");
    }

    private void run(String... args) throws Exception {
        runWith(null, args);
    }

    private void runWith(String javaOpts, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = repo.resolve("bin/sipvane").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).directory(elsewhere.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("PATH", dir + ":" + env.get("PATH"));
        env.put("JAVA", dir.resolve("java").toString());
        env.remove("SIPVANE_JAR");
        env.remove("SIPVANE_JAVA_OPTS");
        if (javaOpts != null) {
            env.put("SIPVANE_JAVA_OPTS", javaOpts);
        }
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    private static void executable(Path file) throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
