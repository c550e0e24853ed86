package io.sipvane.sip.testing;

import java.util.ArrayList;
import java.util.List;

/** Closes what a test opened, last first; {@code track} returns its argument for use in place. */
public final class Closer implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();

    public <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }
}
