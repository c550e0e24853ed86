package io.sipvane.core.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A config's YAML as the UTF-8 fragments it was put together from (the shared header, and
 * one fragment per account, trunk and URI, kept by {@link ConfigWriter.Incremental} anyway):
 * written and compared without being joined into one array, which at 100,000 URIs would be
 * 26 MiB allocated and copied per write. Immutable.
 */
public final class RenderedYaml {
    private static final int STAGING = 1 << 20;
    private final byte[][] parts;
    private final long length;

    RenderedYaml(byte[][] parts) {
        long n = 0;
        for (byte[] part : parts) {
            n += part.length;
        }
        this.parts = parts;
        this.length = n;
    }

    /** YAML already in one array. */
    public static RenderedYaml of(byte[] bytes) {
        return new RenderedYaml(new byte[][] {bytes});
    }

    public long length() {
        return length;
    }

    /** The whole text in one array. */
    public byte[] toBytes() {
        if (length > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("configuration of " + length + " bytes (expected: < 2 GiB)");
        }
        ByteBuffer out = ByteBuffer.allocate((int) length);
        for (byte[] part : parts) {
            out.put(part);
        }
        return out.array();
    }

    /** Writes the text to {@code ch} through a 1 MiB staging buffer (one copy, large writes). */
    void writeTo(FileChannel ch) throws IOException {
        ByteBuffer staging = ByteBuffer.allocateDirect((int) Math.min(STAGING, Math.max(length, 1)));
        for (byte[] part : parts) {
            int offset = 0;
            while (offset < part.length) {
                int n = Math.min(staging.remaining(), part.length - offset);
                staging.put(part, offset, n);
                offset += n;
                if (!staging.hasRemaining()) {
                    drain(staging, ch);
                }
            }
        }
        drain(staging, ch);
    }

    private static void drain(ByteBuffer staging, FileChannel ch) throws IOException {
        staging.flip();
        while (staging.hasRemaining()) {
            ch.write(staging);
        }
        staging.clear();
    }

    /** Whether {@code raw} is exactly this text. */
    public boolean contentEquals(byte[] raw) {
        if (raw.length != length) {
            return false;
        }
        int at = 0;
        for (byte[] part : parts) {
            if (!java.util.Arrays.equals(part, 0, part.length, raw, at, at + part.length)) {
                return false;
            }
            at += part.length;
        }
        return true;
    }
}
