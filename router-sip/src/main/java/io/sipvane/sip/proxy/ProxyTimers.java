package io.sipvane.sip.proxy;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's own timers (attempt timer, Timer C, cleanup): one shared scheduler thread for
 * every call, never a thread per call. JAIN-SIP only has Timer B (32 s).
 *
 * <p>Implementation note: a {@link ScheduledThreadPoolExecutor} with remove-on-cancel, so a
 * call answered in time leaves nothing in the queue; tasks only take a call's lock and send,
 * so one thread keeps up. A task's exception is logged, never lost silently.
 */
public final class ProxyTimers implements Scheduler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyTimers.class);

    private final ScheduledThreadPoolExecutor executor;

    public ProxyTimers(String name) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Timer schedule(Runnable task, long delayMs) {
        ScheduledFuture<?> future = executor.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("timer task failed: {}", e.toString());
                LOG.debug("timer task failed", e);
            }
        }, delayMs, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
