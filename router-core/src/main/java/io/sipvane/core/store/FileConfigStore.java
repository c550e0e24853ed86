package io.sipvane.core.store;

import io.sipvane.core.config.ConfigException;
import io.sipvane.core.config.ConfigLoader;
import io.sipvane.core.config.ConfigWriter;
import io.sipvane.core.config.RenderedYaml;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.config.TenantChange;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config file as the store of trunks and URIs.
 *
 * <p>Every change runs on one writer thread, so writes are serialized and none is lost: the
 * change is applied to the current config (validation errors complete the future
 * exceptionally and change nothing), recorded in the {@link ChangeJournal} beside the file
 * ({@code .sipvane.yaml.journal}: one small record, fdatasync'd), and only then published to
 * the routing table and made current. A failed append leaves the journal and the live table
 * as they were, so the table never runs ahead of what is durable. The returned future
 * completes after the publication: a caller that answers its client then has made a
 * durable, visible write.
 *
 * <p>Right after the write the journal is folded into the file in the background (an atomic
 * rewrite: temp file, fsync, rename, fsync of the directory), while later writes go to a
 * new journal ({@link JournaledFile}); the writes made during a fold are folded by the next
 * one. Opening the store applies what a crash left in the journals and folds it at once;
 * replaying is safe over a file written part way through them ({@link TenantChange}). So
 * the file trails the API by one fold (milliseconds; some 40 ms at 100,000 URIs), and no
 * write waits for a rewrite and fsync of the whole file, which is 26 MiB at that size.
 *
 * <p>Edits by hand are picked up by a {@link WatchService} on the file's directory (debounced)
 * or by {@link #reload()}; the journal's changes are applied on top of the edited file, and an
 * invalid result is logged with its YAML path and line while the running config stays. The
 * store's own writes are recognized by content and not reloaded.
 */
public final class FileConfigStore implements ConfigStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileConfigStore.class);
    private static final long DEBOUNCE_MS = 150;

    private final Path file;
    private final RoutingTable table;
    private final ThreadPoolExecutor writer;
    /** False only in tests that need the journal left as a crash would leave it. */
    private final boolean foldAfterWrites;
    private volatile SipvaneConfig current;
    /** Writer thread only: the file's content as this store last wrote or read it. */
    private RenderedYaml lastContent;
    /** Writer thread only: the YAML of the objects of {@link #current}, reused by the next write. */
    private final ConfigWriter.Incremental yaml = new ConfigWriter.Incremental();
    /** Writer thread only: what the fold in flight writes, the file's content once it is saved. */
    private RenderedYaml lastRendered;
    /** Writer thread only, but for the save of a background fold. */
    private final JournaledFile files;
    private WatchService watcher;
    private Thread watchThread;

    private FileConfigStore(Path file, SipvaneConfig initial, String content, JournaledFile files,
                            boolean foldAfterWrites) {
        this.file = file.toAbsolutePath();
        this.current = initial;
        this.lastContent = RenderedYaml.of(content.getBytes(StandardCharsets.UTF_8));
        this.table = new RoutingTable(initial);
        this.files = files;
        this.foldAfterWrites = foldAfterWrites;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "sipvane-store");
            t.setDaemon(true);
            return t;
        });
        // fill the YAML cache off the caller's thread, so the first API write is not a full dump
        writer.execute(() -> yaml.render(initial));
    }

    /**
     * Loads the file and applies what its journal holds; fails with the YAML path and line
     * when the file is invalid, and names the journal when its changes do not fit the file.
     */
    public static FileConfigStore open(Path file) throws IOException, ConfigException {
        return open(file, true);
    }

    static FileConfigStore open(Path file, boolean foldAfterWrites) throws IOException, ConfigException {
        Path absolute = file.toAbsolutePath();
        removeStaleTempFiles(absolute);
        String content = Files.readString(absolute, StandardCharsets.UTF_8);
        SipvaneConfig config = stamped(ConfigLoader.parse(content, file.toString()), absolute);
        JournaledFile files = JournaledFile.open(absolute);
        FileConfigStore store;
        try {
            List<byte[]> records = files.pending();
            SipvaneConfig replayed = replay(config, records, files.journalPath());
            store = new FileConfigStore(absolute, replayed, content, files, foldAfterWrites);
            if (!records.isEmpty()) {
                LOG.info("applied {} change(s) from {} to {}", records.size(), files.journalPath(), absolute);
            }
        } catch (ConfigException | IOException | RuntimeException e) {
            files.close();
            throw e;
        }
        if (files.hasPending()) {
            try {
                store.writer.submit(store::foldNow).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.error("cannot fold {} into {}: {}", files.journalPath(), absolute, e.getCause().toString());
            }
        }
        return store;
    }

    /** Where the store of {@code file} keeps its journal: {@code .NAME.journal} beside it. */
    public static Path journalOf(Path file) {
        return JournaledFile.journalOf(file);
    }

    /** Where the journal being folded into {@code file} is kept meanwhile: {@code .NAME.journal.folding}. */
    public static Path foldingJournalOf(Path file) {
        return JournaledFile.foldingOf(file);
    }

    /** {@code config} with the journal's changes applied in order, checked as a whole. */
    private static SipvaneConfig replay(SipvaneConfig config, List<byte[]> records, Path journal) throws ConfigException {
        SipvaneConfig next = config;
        for (int i = 0; i < records.size(); i++) {
            try {
                next = TenantChange.parse(new String(records.get(i), StandardCharsets.UTF_8), journal.toString())
                        .applyTo(next);
            } catch (ConfigException | IllegalArgumentException e) {
                throw new ConfigException("", 0, "change " + (i + 1) + " of " + records.size() + " in " + journal
                        + " does not apply to the file: " + e.getMessage() + "; fix the file, or move the journal away "
                        + "to start without the API writes it holds");
            }
        }
        return next;
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
                    record(result.config());
                } catch (IOException e) {
                    LOG.error("cannot save a change to {}: {}", file, e.toString());
                    throw new CompletionException(new StoreException("the configuration could not be saved", e));
                }
                current = result.config();
                table.publish(result.config());
                if (foldAfterWrites && !files.folding()) {
                    startFold();
                }
            }
            return result.value();
        }, writer);
    }

    /** Makes {@code next} durable: a journal record, or a rewrite of the file when the change is not tenant data. */
    private void record(SipvaneConfig next) throws IOException {
        TenantChange change = TenantChange.between(current, next);
        if (change.isEmpty()) {
            foldEnded(files.awaitFold());
            RenderedYaml content = yaml.render(next);
            files.foldNow(content);
            lastContent = content;
            return;
        }
        files.append(change.toYaml());
    }

    /** Folds the records so far into the file on the fold thread; the writes go on meanwhile. */
    private void startFold() {
        RenderedYaml content = yaml.render(current);
        lastRendered = content; // the file's content once this fold has saved it
        CompletableFuture<Boolean> fold = files.foldInBackground(content);
        fold.whenComplete((saved, e) -> {
            try {
                writer.execute(() -> {
                    if (foldEnded(fold) && files.hasPending()) {
                        startFold(); // the writes made during that fold
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // close() waits for the fold and folds what is left itself
            }
        });
    }

    /** Takes note of the end of {@code fold}, once; whether it saved the file. */
    private boolean foldEnded(CompletableFuture<Boolean> fold) {
        if (fold == null || !files.foldEnded(fold)) {
            return false;
        }
        boolean saved = fold.join();
        if (saved) {
            lastContent = lastRendered;
        }
        return saved;
    }

    /** Writes the current config to the file now and drops every record (at open, on a reload, at close). */
    private void foldNow() {
        foldEnded(files.awaitFold());
        if (!files.hasPending()) {
            return;
        }
        try {
            RenderedYaml content = yaml.render(current);
            files.foldNow(content);
            lastContent = content;
        } catch (IOException e) {
            LOG.error("cannot save {}: {}; its changes stay in {}, and saving is tried again after the next write",
                    file, e.toString(), files.journalPath());
        }
    }

    /** Re-reads the file now; resolves to whether a new config was published. */
    @Override
    public CompletableFuture<Boolean> reload() {
        return CompletableFuture.supplyAsync(this::reloadNow, writer);
    }

    private boolean reloadNow() {
        foldEnded(files.awaitFold()); // a fold in flight is about to replace the file with its own output
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}; the running configuration stays", file, e.toString());
            return false;
        }
        if (lastContent.contentEquals(raw)) {
            return false;
        }
        try {
            SipvaneConfig edited = stamped(ConfigLoader.parse(utf8(raw), file.toString()), file);
            List<byte[]> pending = files.pending();
            SipvaneConfig next = replay(edited, pending, files.journalPath());
            lastContent = RenderedYaml.of(raw);
            current = next;
            table.publish(next);
            yaml.render(next); // every object is new: refill the cache now rather than in the next write
            if (!pending.isEmpty()) {
                LOG.info("applied the {} API change(s) not yet in {} to its edit", pending.size(), file);
                foldNow();
            }
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
        try {
            writer.submit(() -> {
                foldNow();
                files.close();
            }).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return; // closed already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("folding the journal at shutdown: {}", e.toString());
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
