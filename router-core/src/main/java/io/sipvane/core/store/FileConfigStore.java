package io.sipvane.core.store;

import io.sipvane.core.config.ConfigException;
import io.sipvane.core.config.ConfigLoader;
import io.sipvane.core.config.ConfigWriter;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.routing.RoutingTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config file as the store of trunks and URIs.
 *
 * <p>Every change runs on one writer thread, so writes are serialized and none is lost: the
 * change is applied to the current config (validation errors complete the future
 * exceptionally and change nothing), the result is saved atomically (temp file, fsync,
 * rename, fsync of the directory), and only then published to the routing table and made
 * current. A failed save leaves both the file and the live table as they were, so the
 * table never runs ahead of the file. The returned future completes after the publication:
 * a caller that answers its client then has made a durable, visible write.
 *
 * <p>Edits by hand are picked up by a {@link WatchService} on the file's directory (debounced)
 * or by {@link #reload()}; an invalid file is logged with its YAML path and line and the
 * running config stays. The store's own writes are recognized by content and not reloaded.
 */
public final class FileConfigStore implements ConfigStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileConfigStore.class);
    private static final long DEBOUNCE_MS = 150;

    private final Path file;
    private final RoutingTable table;
    private final ExecutorService writer;
    private volatile SipvaneConfig current;
    /** Writer thread only. */
    private byte[] lastContent;
    /** Writer thread only: the YAML of the objects of {@link #current}, reused by the next write. */
    private final ConfigWriter.Incremental yaml = new ConfigWriter.Incremental();
    private WatchService watcher;
    private Thread watchThread;

    private FileConfigStore(Path file, SipvaneConfig initial, String content) {
        this.file = file.toAbsolutePath();
        this.current = initial;
        this.lastContent = content.getBytes(StandardCharsets.UTF_8);
        this.table = new RoutingTable(initial);
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sipvane-store");
            t.setDaemon(true);
            return t;
        });
        // fill the YAML cache off the caller's thread, so the first API write is not a full dump
        writer.execute(() -> yaml.toYamlBytes(initial));
    }

    /** Loads the file; fails with the YAML path and line when it is invalid. */
    public static FileConfigStore open(Path file) throws IOException, ConfigException {
        removeStaleTempFiles(file.toAbsolutePath());
        String content = Files.readString(file, StandardCharsets.UTF_8);
        SipvaneConfig config = stamped(ConfigLoader.parse(content, file.toString()), file);
        return new FileConfigStore(file, config, content);
    }

    /** A save interrupted by a crash leaves its temp file behind; the target is intact. */
    private static void removeStaleTempFiles(Path file) throws IOException {
        String prefix = "." + file.getFileName() + ".";
        try (var siblings = Files.list(file.getParent())) {
            for (Path p : siblings.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(prefix) && name.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Objects written by hand may lack {@code created_at}/{@code updated_at}: they get the
     * file's modification time (stable across reloads), persisted with the next write.
     */
    private static SipvaneConfig stamped(SipvaneConfig config, Path file) throws IOException {
        boolean complete = config.trunks().stream().allMatch(t -> t.createdAt() != null && t.updatedAt() != null)
                && config.originationUris().stream().allMatch(u -> u.createdAt() != null && u.updatedAt() != null);
        if (complete) {
            return config;
        }
        Instant at = Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS);
        return config.withTrunks(config.trunks().stream().map(t -> t.stampedIfMissing(at)).toList())
                .withOriginationUris(config.originationUris().stream().map(u -> u.stampedIfMissing(at)).toList());
    }

    public Path file() {
        return file;
    }

    @Override
    public String describe() {
        return "config " + file;
    }

    @Override
    public RoutingTable table() {
        return table;
    }

    @Override
    public SipvaneConfig current() {
        return current;
    }

    /**
     * Applies a change durably. {@code change} runs on the writer thread against the current
     * config and may throw to refuse it (its exception completes the future).
     */
    @Override
    public <R> CompletableFuture<R> update(Function<SipvaneConfig, Change<R>> change) {
        return CompletableFuture.supplyAsync(() -> {
            Change<R> result = change.apply(current);
            if (result.config() != current) {
                try {
                    byte[] content = yaml.toYamlBytes(result.config());
                    ConfigWriter.save(content, file);
                    lastContent = content;
                } catch (IOException e) {
                    LOG.error("cannot save {}: {}", file, e.toString());
                    throw new CompletionException(new StoreException("the configuration could not be saved", e));
                }
                current = result.config();
                table.publish(result.config());
            }
            return result.value();
        }, writer);
    }

    /** Re-reads the file now; resolves to whether a new config was published. */
    @Override
    public CompletableFuture<Boolean> reload() {
        return CompletableFuture.supplyAsync(this::reloadNow, writer);
    }

    private boolean reloadNow() {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}; the running configuration stays", file, e.toString());
            return false;
        }
        if (Arrays.equals(raw, lastContent)) {
            return false;
        }
        try {
            SipvaneConfig next = stamped(ConfigLoader.parse(utf8(raw), file.toString()), file);
            lastContent = raw;
            current = next;
            table.publish(next);
            yaml.toYamlBytes(next); // every object is new: refill the cache now rather than in the next write
            LOG.info("reloaded {}: {} trunks, {} origination URIs", file, next.trunks().size(), next.originationUris().size());
            return true;
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}; the running configuration stays", file, e.toString());
            return false;
        } catch (ConfigException e) {
            LOG.error("invalid configuration in {}: {}; the running configuration stays", file, e.getMessage());
            return false;
        }
    }

    /** Strict, as {@code Files.readString}: malformed UTF-8 is an {@link IOException}, not replaced. */
    private static String utf8(byte[] raw) throws IOException {
        return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(raw)).toString();
    }

    /** Starts watching the file for edits by hand. */
    @Override
    public synchronized void watch() throws IOException {
        if (watcher != null) {
            return;
        }
        watcher = FileSystems.getDefault().newWatchService();
        file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        WatchService w = watcher;
        watchThread = new Thread(() -> watchLoop(w), "sipvane-config-watch");
        watchThread.setDaemon(true);
        watchThread.start();
    }

    private void watchLoop(WatchService w) {
        try {
            while (true) {
                WatchKey key = w.take();
                boolean ours = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    ours |= event.context() instanceof Path p && p.equals(file.getFileName());
                }
                key.reset();
                if (ours) {
                    // editors write in several steps: wait for the burst to end
                    Thread.sleep(DEBOUNCE_MS);
                    WatchKey more;
                    while ((more = w.poll(DEBOUNCE_MS, TimeUnit.MILLISECONDS)) != null) {
                        more.pollEvents();
                        more.reset();
                    }
                    reload();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                LOG.debug("closing the watch service", e);
            }
            watcher = null;
        }
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("store writes still running at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
