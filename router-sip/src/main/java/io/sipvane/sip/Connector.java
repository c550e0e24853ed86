package io.sipvane.sip;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that send over TCP and TLS, where a send may have to connect first. A
 * destination that never completes the handshake holds one of them for the connect timeout
 * (2 s) instead of a listener or the timer thread, so other calls' timers and messages go on.
 * Sixteen threads at most: each waits on a socket, not the CPU; idle ones end after a minute.
 */
final class Connector {
    static final int THREADS = 16;

    private Connector() {}

    static ExecutorService create(String name) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
