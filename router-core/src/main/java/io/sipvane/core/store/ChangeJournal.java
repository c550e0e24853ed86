package io.sipvane.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file store's write-ahead journal: each accepted write appends one record and is made
 * durable by an {@code fdatasync} of this small file, instead of a rewrite and fsync of the
 * whole config file (26 MiB at 100,000 URIs). The store folds the journal into the config
 * file later ({@link #clear} after the file is saved).
 *
 * <p>A record is its length (4 bytes, big-endian), the CRC-32C of its payload (4 bytes) and
 * the payload. A write interrupted by a crash leaves an incomplete or corrupt last record;
 * it was never acknowledged, so {@link #open} cuts it off and keeps every complete record
 * before it. A failed append is cut off the same way at once, so a later record never
 * follows a torn one. The file is created owner-only: it holds what the config file holds,
 * credentials included. Not thread-safe: it belongs to the store's writer thread.
 */
public final class ChangeJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeJournal.class);
    private static final int HEADER = 8;

    private final Path path;
    private final FileChannel channel;
    private long size;
    private int count;

    private ChangeJournal(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Opens the journal at {@code path}, creating it (and syncing its directory) when absent. */
    public static ChangeJournal open(Path path) throws IOException {
        boolean created = !Files.exists(path);
        FileChannel channel = created
                ? FileChannel.open(path, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE), ownerOnly())
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ChangeJournal journal = new ChangeJournal(path, channel);
        try {
            if (created) {
                try (FileChannel dir = FileChannel.open(path.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
                    dir.force(true);
                }
            }
            journal.recover();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return journal;
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    /** Finds the end of the last complete record and cuts off anything after it. */
    private void recover() throws IOException {
        long length = channel.size();
        List<byte[]> records = read(length);
        long end = 0;
        for (byte[] r : records) {
            end += HEADER + r.length;
        }
        if (end < length) {
            LOG.warn("{}: dropped {} bytes after the last complete record (a write interrupted before it was "
                    + "acknowledged)", path, length - end);
            channel.truncate(end);
            channel.force(false);
        }
        size = end;
        count = records.size();
    }

    /** The payloads of the complete records, oldest first. */
    public List<byte[]> records() throws IOException {
        return read(size);
    }

    private List<byte[]> read(long length) throws IOException {
        if (length > Integer.MAX_VALUE - 16) {
            throw new IOException(path + " is " + length + " bytes (expected: < 2 GiB)");
        }
        ByteBuffer all = ByteBuffer.allocate((int) length);
        while (all.hasRemaining() && channel.read(all, all.position()) >= 0) {
            // read until full or end of file
        }
        all.flip();
        List<byte[]> records = new ArrayList<>();
        while (all.remaining() >= HEADER) {
            int n = all.getInt(all.position());
            int crc = all.getInt(all.position() + 4);
            if (n < 0 || n > all.remaining() - HEADER) {
                break;
            }
            byte[] payload = new byte[n];
            all.get(all.position() + HEADER, payload);
            if (crc(payload) != crc) {
                break;
            }
            records.add(payload);
            all.position(all.position() + HEADER + n);
        }
        return records;
    }

    /** Appends one record and makes it durable; on failure the journal is as it was before. */
    public void append(byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(HEADER + payload.length);
        frame.putInt(payload.length).putInt(crc(payload)).put(payload).flip();
        long at = size;
        try {
            while (frame.hasRemaining()) {
                channel.write(frame, at + frame.position());
            }
            channel.force(false);
        } catch (IOException e) {
            try {
                channel.truncate(at);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        size = at + frame.limit();
        count++;
    }

    /** Drops every record: the config file now holds them. */
    public void clear() throws IOException {
        channel.truncate(0);
        channel.force(false);
        size = 0;
        count = 0;
    }

    public long size() {
        return size;
    }

    public int count() {
        return count;
    }

    public Path path() {
        return path;
    }

    private static int crc(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return (int) crc.getValue();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
