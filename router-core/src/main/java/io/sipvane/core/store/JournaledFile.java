package io.sipvane.core.store;

import io.sipvane.core.config.ConfigWriter;
import io.sipvane.core.config.RenderedYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file store's files on disk: the config file, its journal ({@code .NAME.journal}) and,
 * while a fold runs, the journal being folded ({@code .NAME.journal.folding}).
 *
 * <p>A write is one {@link ChangeJournal} record. A fold makes the file hold the records: in
 * the background ({@link #foldInBackground}), the journal is first renamed to the folding
 * journal and a new one started, so writes go on while the file is rewritten; the folding
 * journal is deleted once the file is saved. Whatever a crash interrupts, the file is at or
 * before the end of the records on disk, and replaying them in order (folding journal, then
 * journal) over it gives the last acknowledged state: a change applied twice is the same
 * change ({@link io.sipvane.core.config.TenantChange}). A failed save keeps the folding
 * journal, and the next fold saves a newer state before deleting it.
 *
 * <p>Confined to the store's writer thread; only the save of a background fold runs on the
 * fold thread, and the writer learns of its end through the returned future.
 */
final class JournaledFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournaledFile.class);

    private final Path file;
    private final Path journalPath;
    private final Path foldingPath;
    private final ExecutorService folder;
    /** Null after an I/O error; reopened by the next append. */
    private ChangeJournal journal;
    /** The background fold in flight, or null. */
    private CompletableFuture<Boolean> fold;

    private JournaledFile(Path file, ChangeJournal journal) {
        this.file = file;
        this.journalPath = journalOf(file);
        this.foldingPath = foldingOf(file);
        this.journal = journal;
        this.folder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sipvane-store-fold");
            t.setDaemon(true);
            return t;
        });
    }

    static JournaledFile open(Path file) throws IOException {
        return new JournaledFile(file, ChangeJournal.open(journalOf(file)));
    }

    static Path journalOf(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".journal");
    }

    static Path foldingOf(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".journal.folding");
    }

    Path journalPath() {
        return journalPath;
    }

    /** The records the file may not hold yet, oldest first: the folding journal's, then the journal's. */
    List<byte[]> pending() throws IOException {
        List<byte[]> records = new ArrayList<>();
        if (Files.exists(foldingPath)) {
            try (ChangeJournal folding = ChangeJournal.open(foldingPath)) {
                records.addAll(folding.records());
            }
        }
        if (journal != null) {
            records.addAll(journal.records());
        }
        return records;
    }

    /** Whether there are records the file may not hold. */
    boolean hasPending() {
        return Files.exists(foldingPath) || (journal != null && journal.count() > 0);
    }

    /** Appends one record durably; on failure nothing was appended. */
    void append(byte[] record) throws IOException {
        if (journal == null) {
            journal = ChangeJournal.open(journalPath);
        }
        try {
            journal.append(record);
        } catch (IOException e) {
            closeJournal();
            throw e;
        }
    }

    boolean folding() {
        return fold != null;
    }

    /**
     * Starts rewriting the file with {@code content}, the current config, on the fold thread;
     * the records so far move to the folding journal first (unless a failed fold left one).
     * The future tells whether the file was saved; the writer then calls {@link #foldEnded}.
     */
    CompletableFuture<Boolean> foldInBackground(RenderedYaml content) {
        if (fold != null) {
            throw new IllegalStateException("a fold is running");
        }
        if (!Files.exists(foldingPath)) {
            rotate();
        }
        fold = CompletableFuture.supplyAsync(() -> {
            try {
                ConfigWriter.save(content, file);
            } catch (IOException e) {
                LOG.error("cannot save {}: {}; its changes stay in {} and {}, and saving is tried again after the next "
                        + "write", file, e.toString(), foldingPath.getFileName(), journalPath.getFileName());
                return false;
            }
            try {
                Files.deleteIfExists(foldingPath);
            } catch (IOException e) {
                // the file holds its records: replaying them again is harmless, and the next fold retries
                LOG.warn("cannot delete {}: {}", foldingPath, e.toString());
            }
            return true;
        }, folder);
        return fold;
    }

    /** The journal becomes the folding journal and a new journal is started; both names are synced. */
    private void rotate() {
        closeJournal();
        try {
            Files.move(journalPath, foldingPath, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot move {} aside for folding: {}", journalPath, e.toString());
        }
        try {
            journal = ChangeJournal.open(journalPath); // creating it syncs the directory, the move with it
        } catch (IOException e) {
            LOG.warn("cannot start {}: {}; the next write tries again", journalPath, e.toString());
        }
    }

    /** The writer's acknowledgement of {@code ended}; false when it was handled already. */
    boolean foldEnded(CompletableFuture<Boolean> ended) {
        if (fold != ended) {
            return false;
        }
        fold = null;
        return true;
    }

    /** Waits for the fold in flight, if any; returns its future (null if none) for {@link #foldEnded}. */
    CompletableFuture<Boolean> awaitFold() {
        CompletableFuture<Boolean> f = fold;
        if (f != null) {
            f.join();
        }
        return f;
    }

    /**
     * Rewrites the file with {@code content} now, on the writer thread, and drops every
     * record; no background fold may be running ({@link #awaitFold} first).
     */
    void foldNow(RenderedYaml content) throws IOException {
        if (fold != null) {
            throw new IllegalStateException("a fold is running");
        }
        ConfigWriter.save(content, file);
        Files.deleteIfExists(foldingPath);
        if (journal != null) {
            try {
                journal.clear();
            } catch (IOException e) {
                // the file holds every record, so replaying them again later is harmless
                LOG.warn("cannot empty {}: {}", journalPath, e.toString());
                closeJournal();
            }
        }
    }

    private void closeJournal() {
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                LOG.debug("closing {}", journalPath, e);
            }
            journal = null;
        }
    }

    @Override
    public void close() {
        awaitFold();
        folder.shutdown();
        try {
            folder.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeJournal();
    }
}
