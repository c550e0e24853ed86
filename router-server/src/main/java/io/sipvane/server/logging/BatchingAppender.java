package io.sipvane.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands log events to its appenders on a thread of its own, in batches: a thread that logs
 * never waits for the writer, and never wakes it.
 *
 * <p>Design note: Logback's {@code AsyncAppender} queues each event in an
 * {@code ArrayBlockingQueue} whose consumer blocks in {@code take()}, so every line logged
 * while the writer sleeps (nearly every line: one per call) unparks it, a futex call on the
 * logging thread and a context switch on the writer's. At 2,000 calls/s that was a twentieth
 * of the router's CPU. Here the writer takes whatever has queued up, writes it, and when
 * nothing was waiting sleeps {@code maxDelayMillis} instead of waiting to be woken: a line
 * reaches the log at most that much later, and a burst is written in one pass. When the queue
 * is full, lines are dropped rather than block a SIP thread, and the writer says how many, in
 * a WARN line of its own, once there is room again.
 */
public final class BatchingAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
        implements AppenderAttachable<ILoggingEvent> {
    static final int DEFAULT_QUEUE_SIZE = 8192;
    static final int DEFAULT_MAX_DELAY_MILLIS = 10;
    /** How long {@link #stop()} waits for the writer to write out what is queued. */
    static final long STOP_WAIT_MILLIS = 2_000;

    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
    private final AtomicLong dropped = new AtomicLong();
    private int queueSize = DEFAULT_QUEUE_SIZE;
    private int maxDelayMillis = DEFAULT_MAX_DELAY_MILLIS;
    private ArrayBlockingQueue<ILoggingEvent> queue;
    private Thread writer;
    private volatile boolean stopping;

    /** How many lines may wait for the writer; more are dropped (and counted). */
    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    /** How long the writer sleeps when it found nothing to write: the most a line waits for it. */
    public void setMaxDelayMillis(int maxDelayMillis) {
        this.maxDelayMillis = maxDelayMillis;
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        if (queueSize < 1) {
            addError("queueSize: " + queueSize + " (expected: >= 1)");
            return;
        }
        if (maxDelayMillis < 1) {
            addError("maxDelayMillis: " + maxDelayMillis + " (expected: >= 1)");
            return;
        }
        if (!appenders.iteratorForAppenders().hasNext()) {
            addWarn("no appender attached to [" + name + "]: its lines go nowhere");
        }
        queue = new ArrayBlockingQueue<>(queueSize);
        stopping = false;
        writer = new Thread(this::writeUntilStopped, "sipvane-log-writer");
        writer.setDaemon(true);
        super.start();
        writer.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        // what the writer needs later: the formatted message, the thread's name, the MDC
        event.prepareForDeferredProcessing();
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    private void writeUntilStopped() {
        List<ILoggingEvent> batch = new ArrayList<>(Math.min(queueSize, 1024));
        long delayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMillis);
        while (true) {
            boolean last = stopping; // read before draining: what was queued before stop() is written
            if (writeOut(batch) == 0) {
                if (last) {
                    return;
                }
                LockSupport.parkNanos(this, delayNanos);
            }
        }
    }

    /** Writes what is queued, in one pass of at most the queue's size; how many lines it wrote. */
    private int writeOut(List<ILoggingEvent> batch) {
        // lines dropped so far were dropped when the queue was full: after the lines drained now
        long lost = dropped.getAndSet(0);
        queue.drainTo(batch, queueSize);
        for (int i = 0; i < batch.size(); i++) {
            write(batch.get(i));
        }
        int written = batch.size();
        batch.clear();
        if (lost > 0) {
            write(droppedLine(lost));
        }
        return written;
    }

    private void write(ILoggingEvent event) {
        try {
            appenders.appendLoopOnAppenders(event);
        } catch (RuntimeException e) {
            // one line lost, not the writer: the lines after it still go out
            addError("an appender of [" + name + "] failed", e);
        }
    }

    private ILoggingEvent droppedLine(long lost) {
        LoggerContext context = (LoggerContext) getContext();
        LoggingEvent line = new LoggingEvent(BatchingAppender.class.getName(), context.getLogger(BatchingAppender.class),
                Level.WARN, lost + " log lines dropped: the log queue (" + queueSize + " lines) was full", null, null);
        line.prepareForDeferredProcessing();
        return line;
    }

    /** Writes out what is queued (waiting up to {@value #STOP_WAIT_MILLIS} ms for it), then stops the appenders. */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop(); // no more lines queued from here
        stopping = true;
        LockSupport.unpark(writer);
        try {
            writer.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            addWarn("[" + name + "] stopped before writing out " + queue.size() + " queued lines");
        }
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        appenders.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return appenders.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return appenders.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return appenders.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return appenders.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return appenders.detachAppender(name);
    }
}
