package io.sipvane.sip.stack;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.SIPTransaction;
import gov.nist.javax.sip.stack.timers.SipTimer;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's transaction timers on a hashed timing wheel (Netty's {@link HashedWheelTimer}),
 * set through {@code gov.nist.javax.sip.TIMER_CLASS_NAME}.
 *
 * <p>Design note: every live JAIN-SIP transaction holds a timer that fires every 500 ms
 * (its retransmission and timeout ticks) and an INVITE server transaction lingers 8 s after
 * its 2xx on one more; at 2,000 calls/s that is tens of thousands of pending timers. The
 * stack's default, {@link java.util.Timer}, keeps them in a binary heap: every schedule and
 * every periodic firing is a sift through it, and a cancelled task stays in it until it comes
 * due (the heap's sift was a twentieth of the process's CPU in a profile at that rate). A wheel
 * schedules and cancels in constant time whatever the number pending. The price is
 * resolution: a timer fires up to one tick ({@value #TICK_MS} ms) late, which SIP's timers
 * (multiples of T1, 500 ms) do not notice. Tasks run on the wheel's one thread, as they ran
 * on the {@code Timer}'s. It also shortens the stack's 8 s linger of ended transactions
 * ({@link #LINGER_MS}), and runs a transaction's periodic timer as soon as the transaction has
 * ended ({@link #SWEEP_MS}).
 */
public final class WheelSipTimer implements SipTimer {
    private static final Logger LOG = LoggerFactory.getLogger(WheelSipTimer.class);
    static final long TICK_MS = 10;
    /** 512 ticks of 10 ms: one turn of the wheel covers T1 to Timer B; longer timers wait turns. */
    private static final int TICKS_PER_WHEEL = 512;

    /**
     * How long an ended transaction stays in the stack's table. JAIN-SIP keeps every one 8 s (a
     * compile-time constant of the stack, {@code CONNECTION_LINGER_TIME}), mostly so that an
     * INVITE retransmitted after its 2xx finds its server transaction: with the request and its
     * responses, 16,000 such transactions at 2,000 calls/s were most of what each young
     * collection copied (30 ms pauses, and the old generation growing 13 MB/s). Retransmitted
     * INVITEs are absorbed by {@code dialog.AcceptedInvites} instead, for RFC 6026's full 32 s;
     * every other retransmission a transaction absorbs arrives while it is still completed
     * (Timers I, J and K), before it ends. 100 ms leaves the messages already queued in the
     * stack time to find their transaction.
     */
    static final long LINGER_MS = 100;
    /** The stack's linger task; its delay is the one shortened (none when the class is not found). */
    private static final Class<?> LINGER_TASK = lingerTask();
    /**
     * How often the periodic timers of the transactions are checked for transactions that have
     * ended. The stack notices that a transaction ended (a 2xx sent or received) only at the
     * next run of its 500 ms timer, which then hands it to the linger; until then the
     * transaction, its request and its responses stay reachable. At 2,000 calls/s that was the
     * last quarter second of calls' transactions, most of what every young collection copied
     * (20 MB, 24 ms pauses, the p99 post-dial delay). Running the timer at the first check after
     * the end does what its next run would have done, sooner.
     */
    static final long SWEEP_MS = 20;
    /** The outer-instance field of the stack's periodic transaction timers, by timer class (empty when not found). */
    private static final Map<Class<?>, Field> TRANSACTION_OF = transactionTimers();
    private final HashedWheelTimer wheel;
    /** Whether a task is a transaction's periodic timer, and then whether that transaction has ended; else null. */
    private final Function<SIPStackTimerTask, BooleanSupplier> endOf;
    /** The periodic timers of live transactions; the wheel's thread sweeps it. */
    private final Set<Scheduled> transactionTimers = ConcurrentHashMap.newKeySet();
    private volatile boolean started;

    /** The stack instantiates its timer by class name. */
    public WheelSipTimer() {
        this(WheelSipTimer::transactionEnded);
    }

    WheelSipTimer(Function<SIPStackTimerTask, BooleanSupplier> endOf) {
        this.endOf = endOf;
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "sipvane-sip-timer");
            t.setDaemon(true);
            return t;
        };
        // no leak detection: the stack stops its timer, and the detector samples every instance
        this.wheel = new HashedWheelTimer(threads, TICK_MS, TimeUnit.MILLISECONDS, TICKS_PER_WHEEL, false);
    }

    private static Class<?> lingerTask() {
        try {
            return Class.forName("gov.nist.javax.sip.stack.SIPTransactionImpl$LingerTimer");
        } catch (ClassNotFoundException e) {
            LOG.warn("JAIN-SIP has no SIPTransactionImpl$LingerTimer: ended transactions stay 8 s");
            return null;
        }
    }

    private static Map<Class<?>, Field> transactionTimers() {
        Map<Class<?>, Field> timers = new HashMap<>();
        for (String name : List.of("gov.nist.javax.sip.stack.SIPServerTransactionImpl$TransactionTimer",
                "gov.nist.javax.sip.stack.SIPClientTransactionImpl$TransactionTimer")) {
            try {
                Class<?> timer = Class.forName(name);
                Field outer = timer.getDeclaredField("this$0");
                outer.setAccessible(true);
                timers.put(timer, outer);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn("JAIN-SIP's {} is not as expected ({}): its transactions end at its next 500 ms tick", name,
                        e.toString());
            }
        }
        return Map.copyOf(timers);
    }

    /** Whether JAIN-SIP's periodic transaction timers are recognized, server and client (else a WARN at load). */
    static boolean recognizesTransactionTimers() {
        return TRANSACTION_OF.size() == 2;
    }

    /** The end of the transaction whose periodic timer {@code task} is, or null when it is no such timer. */
    private static BooleanSupplier transactionEnded(SIPStackTimerTask task) {
        Field outer = TRANSACTION_OF.get(task.getClass());
        if (outer == null) {
            return null;
        }
        try {
            SIPTransaction transaction = (SIPTransaction) outer.get(task);
            return transaction::isTerminated;
        } catch (IllegalAccessException | ClassCastException e) {
            LOG.debug("no transaction for {}", task, e);
            return null;
        }
    }

    @Override
    public void start(SipStackImpl stack, Properties configuration) {
        wheel.start();
        started = true;
        wheel.newTimeout(this::sweep, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    /** Runs at once the timer of every transaction that has ended since the last sweep; on the wheel's thread. */
    private void sweep(Timeout self) {
        for (Scheduled s : transactionTimers) {
            if (s.cancelled) {
                transactionTimers.remove(s);
            } else if (s.ended.getAsBoolean()) {
                transactionTimers.remove(s);
                s.run(null);
            }
        }
        if (started) {
            try {
                wheel.newTimeout(this::sweep, SWEEP_MS, TimeUnit.MILLISECONDS);
            } catch (IllegalStateException stopping) {
                // the wheel stopped
            }
        }
    }

    @Override
    public boolean schedule(SIPStackTimerTask task, long delay) {
        checkStarted();
        new Scheduled(task, -1).arm(task.getClass() == LINGER_TASK ? Math.min(delay, LINGER_MS) : delay);
        return true;
    }

    @Override
    public boolean scheduleWithFixedDelay(SIPStackTimerTask task, long delay, long period) {
        checkStarted();
        Scheduled scheduled = new Scheduled(task, period);
        scheduled.ended = endOf.apply(task);
        if (scheduled.ended != null) {
            transactionTimers.add(scheduled);
        }
        scheduled.arm(delay);
        return true;
    }

    @Override
    public boolean cancel(SIPStackTimerTask task) {
        return task.getSipTimerTask() instanceof Scheduled scheduled && scheduled.cancel();
    }

    @Override
    public void stop() {
        started = false;
        wheel.stop(); // pending timers are dropped, as the stack's own timer drops them
        transactionTimers.clear();
    }

    /** How many transaction timers the sweep watches (for tests). */
    int watched() {
        return transactionTimers.size();
    }

    @Override
    public boolean isStarted() {
        return started;
    }

    private void checkStarted() {
        if (!started) {
            // what the stack's own timers throw: the stack is stopping
            throw new IllegalStateException("the SIP stack's timer is stopped");
        }
    }

    /** One scheduled task: re-armed after every run when periodic, until cancelled. */
    private final class Scheduled implements TimerTask {
        private final SIPStackTimerTask task;
        private final long periodMs;
        /** Whether the transaction of a stack's periodic transaction timer has ended; null for other tasks. */
        private BooleanSupplier ended;
        private volatile Timeout timeout;
        private volatile boolean cancelled;

        Scheduled(SIPStackTimerTask task, long periodMs) {
            this.task = task;
            this.periodMs = periodMs;
            task.setSipTimerTask(this);
        }

        void arm(long delayMs) {
            timeout = wheel.newTimeout(this, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
        }

        /** Whether this call cancelled it; the task is cleaned up once, as by the stack's own timer. */
        synchronized boolean cancel() {
            if (cancelled) {
                return false;
            }
            cancelled = true;
            task.cleanUpBeforeCancel();
            Timeout t = timeout;
            // out of the wheel now, not at its next run: until then it keeps the task's transaction
            boolean prevented = t == null || t.cancel();
            // as TimerTask.cancel: whether a run was prevented (always, for a periodic task)
            return periodMs > 0 || prevented;
        }

        /** Runs the task; re-arms a periodic one that is still scheduled. {@code expired} is null for a sweep's run. */
        @Override
        public void run(Timeout expired) {
            if (cancelled) {
                return;
            }
            Timeout pending = timeout;
            if (expired == null && pending != null) {
                pending.cancel(); // run ahead of its turn: the re-arm below replaces it
            }
            try {
                task.runTask();
            } catch (RuntimeException | Error e) {
                // one failing task must not take the timer thread, and every other transaction's timers, with it
                LOG.warn("SIP stack timer task {} failed", task.getClass().getName(), e);
            }
            if (periodMs > 0 && !cancelled && started) {
                try {
                    arm(periodMs);
                } catch (IllegalStateException stopping) {
                    // the wheel stopped while the task ran
                }
            }
        }
    }
}
