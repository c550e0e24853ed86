package io.sipvane.store.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for tests: {@code initdb} into a directory under the build
 * directory, {@code pg_ctl start} on 127.0.0.1 and a free port (unix socket in a directory
 * under /tmp), trust authentication, no fsync (a killed server loses nothing the OS has). Run as root (CI), the server runs as the {@code postgres}
 * OS user, since {@code initdb} refuses root. The binaries are found in
 * {@code /usr/lib/postgresql/<version>/bin} (newest first), else on the {@code PATH}.
 *
 * <p>{@link #kill()} is the crash of the whole server (SIGKILL to the postmaster and its
 * backends); {@link #start()} brings it back on the same port and data.
 */
public final class PostgresServer implements AutoCloseable {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path dir;
    private final Path socketDir;
    private final Path data;
    private final Path bin;
    private final boolean asPostgres;
    private final int port;

    private PostgresServer(Path dir, Path socketDir, Path bin, boolean asPostgres, int port) {
        this.dir = dir;
        this.socketDir = socketDir;
        this.data = dir.resolve("data");
        this.bin = bin;
        this.asPostgres = asPostgres;
        this.port = port;
    }

    /** Creates and starts a cluster in a new directory under {@code parent}. */
    public static PostgresServer create(Path parent) throws IOException, InterruptedException {
        Path bin = findBin();
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.createDirectories(parent);
        // the data directory lives under the build directory, unless the postgres user cannot
        // reach it there (a checkout under /root); the socket always goes to /tmp, since a
        // unix socket path is limited to 107 bytes
        Path base = root && !reachableByOthers(parent.toAbsolutePath()) ? Path.of(System.getProperty("java.io.tmpdir"))
                : parent.toAbsolutePath();
        Path dir = Files.createTempDirectory(base, "pg-");
        Path socketDir = Files.createTempDirectory(Path.of("/tmp"), "sipvane-pg-");
        PostgresServer server = new PostgresServer(dir, socketDir, bin, root, freePort());
        if (root) {
            // initdb refuses root: the server runs as postgres, which must own its directories
            chownToPostgres(dir);
            chownToPostgres(socketDir);
        }
        server.run(List.of(bin.resolve("initdb").toString(), "-D", server.data.toString(), "-A", "trust", "-U", "postgres",
                "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"), 120);
        server.start();
        return server;
    }

    private static Path findBin() throws IOException {
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                List<Path> bins = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .sorted(Comparator.comparing((Path b) -> versionOf(b)).reversed()).toList();
                if (!bins.isEmpty()) {
                    return bins.get(0);
                }
            }
        }
        String path = System.getenv("PATH");
        for (String d : path == null ? new String[0] : path.split(":")) {
            if (Files.isExecutable(Path.of(d, "initdb")) && Files.isExecutable(Path.of(d, "pg_ctl"))) {
                return Path.of(d);
            }
        }
        throw new IllegalStateException("PostgreSQL not found (initdb, pg_ctl in /usr/lib/postgresql/*/bin or on the PATH):"
                + " install the Debian package postgresql (.ci/run does)");
    }

    private static boolean reachableByOthers(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    private static int versionOf(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void chownToPostgres(Path dir) throws IOException {
        UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName("postgres");
        GroupPrincipal group = lookup.lookupPrincipalByGroupName("postgres");
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts the server (again) and waits until it accepts connections. */
    public void start() throws IOException, InterruptedException {
        String options = "-p " + port + " -k " + socketDir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c full_page_writes=off -c max_connections=50";
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-o", options, "-w", "-t", "60", "start"), 90);
    }

    /** SIGKILL to the postmaster and every backend: the database is gone at once. */
    public void kill() throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
        List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
        all.add(0, postmaster);
        for (ProcessHandle p : all) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : all) {
            p.onExit().completeOnTimeout(p, 30, TimeUnit.SECONDS).join();
            if (p.isAlive()) {
                throw new IllegalStateException("PostgreSQL process " + p.pid() + " survived SIGKILL");
            }
        }
    }

    /** Stops the server (immediate shutdown). */
    public void stop() throws IOException, InterruptedException {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"), 60);
        }
    }

    public int port() {
        return port;
    }

    /** A new empty database; returns its JDBC URL. */
    public String createDatabase() throws SQLException {
        String name = "sipvane_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The user every database is reachable as (trust authentication: no password). */
    public String user() {
        return "postgres";
    }

    public Path log() {
        return dir.resolve("server.log");
    }

    private void run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path out = Files.createTempFile("pg-command", ".out");
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + ": no exit within " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                String log = Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
                throw new IllegalStateException(String.join(" ", full) + ": exit " + p.exitValue() + "\n"
                        + Files.readString(out, StandardCharsets.UTF_8) + "\n" + log);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        try (Stream<Path> files = Files.walk(socketDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
