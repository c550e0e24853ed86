package io.sipvane.sip.health;

import io.sipvane.core.config.HealthSettings;
import io.sipvane.core.health.ProbeHealth;
import io.sipvane.core.routing.Destination;
import io.sipvane.core.routing.RoutingSnapshot;
import io.sipvane.core.routing.RoutingTable;
import io.sipvane.sip.metrics.SipMetrics;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks: every enabled destination of the routing table gets an OPTIONS
 * probe every {@code health.probe_interval_ms}, and the answers feed {@link ProbeHealth}.
 *
 * <p>Implementation note: one scheduler thread. Each destination has its own fixed-rate
 * task at the shortest interval of the trunks that probe it (a trunk's {@code health}
 * overrides the global {@code probing} and {@code probe_interval_ms}), and new destinations
 * start at evenly spaced offsets within their interval, so N
 * destinations cost one probe every interval/N instead of a burst of N. A destination has at
 * most one probe in flight; a probe still unanswered when the next is due is not doubled.
 * Snapshots published by reloads and API writes are reconciled on the scheduler thread:
 * new destinations start probing, deleted ones stop and their state is forgotten, the others
 * keep their state and schedule (a changed URI is probed at its new address from the next
 * probe on).
 */
public final class Prober implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Prober.class);

    private final RoutingTable table;
    private final ProbeHealth health;
    private final BiFunction<Destination, Integer, CompletableFuture<Integer>> sender;
    private final SipMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final Map<UUID, Target> targets = new HashMap<>();
    private HealthSettings settings;

    /**
     * @param sender sends one OPTIONS (destination, timeout ms) and completes with the answer's
     *               code, or exceptionally on timeout or transport error
     */
    public Prober(RoutingTable table, ProbeHealth health, BiFunction<Destination, Integer, CompletableFuture<Integer>> sender,
           SipMetrics metrics) {
        this.table = table;
        this.health = health;
        this.sender = sender;
        this.metrics = metrics;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sipvane-prober");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        table.onPublish(snapshot -> scheduler.execute(() -> reconcile(snapshot)));
        scheduler.execute(() -> reconcile(table.current()));
    }

    private void reconcile(RoutingSnapshot snapshot) {
        settings = snapshot.config().health();
        // each destination at the shortest interval of the trunks that probe it (per-trunk overrides)
        Map<UUID, Destination> wanted = new LinkedHashMap<>();
        Map<UUID, Long> intervals = new HashMap<>();
        for (var trunk : snapshot.config().trunks()) {
            var override = trunk.health();
            boolean probing = override.probing() != null ? override.probing() : settings.probing();
            if (!probing) {
                continue;
            }
            long interval = override.probeIntervalMs() != null ? override.probeIntervalMs() : settings.probeIntervalMs();
            for (Destination d : snapshot.trunk(trunk.id()).destinations()) {
                wanted.putIfAbsent(d.id(), d);
                intervals.merge(d.id(), interval, Math::min);
            }
        }
        targets.entrySet().removeIf(e -> {
            Long interval = intervals.get(e.getKey());
            if (interval == null || interval != e.getValue().intervalMs) {
                e.getValue().task.cancel(false);
                return true;
            }
            return false;
        });
        health.retain(wanted.keySet());
        Map<Long, Long> added = new HashMap<>();
        wanted.keySet().stream().filter(id -> !targets.containsKey(id)).forEach(id -> added.merge(intervals.get(id), 1L, Long::sum));
        Map<Long, Long> slots = new HashMap<>();
        for (Destination d : wanted.values()) {
            Target existing = targets.get(d.id());
            if (existing != null) {
                existing.destination = d;
                continue;
            }
            long interval = intervals.get(d.id());
            long slot = slots.merge(interval, 1L, Long::sum) - 1;
            Target target = new Target(d, interval);
            long offset = interval * slot / added.get(interval);
            target.task = scheduler.scheduleAtFixedRate(() -> probe(target), offset, interval, TimeUnit.MILLISECONDS);
            targets.put(d.id(), target);
        }
    }

    private void probe(Target target) {
        if (!target.inFlight.compareAndSet(false, true)) {
            return;
        }
        Destination d = target.destination;
        HealthSettings s = settings;
        long start = System.nanoTime();
        CompletableFuture<Integer> answer;
        try {
            answer = sender.apply(d, s.probeTimeoutMs());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((code, failure) -> {
            target.inFlight.set(false);
            boolean ok = failure == null && s.isOk(code);
            if (failure == null) {
                metrics.probe(d, System.nanoTime() - start);
            }
            String result = failure != null ? String.valueOf(failure.getMessage()) : "answered " + code;
            if (!ok) {
                LOG.debug("probe of {} failed: {}", d.source().uri(), result);
            }
            ProbeHealth.State before = health.state(d.id());
            health.record(d.id(), ok);
            ProbeHealth.State after = health.state(d.id());
            if (after != before) {
                String line = "destination {} \"{}\" {} is {}: probe {}";
                Object[] args = {d.id(), d.source().name(), d.source().uri(), after.token(), result};
                if (after == ProbeHealth.State.DOWN) {
                    LOG.warn(line, args);
                } else {
                    LOG.info(line, args);
                }
            }
        });
    }

    /**
     * Whether {@code id} has a probe schedule, once every snapshot published so far has been
     * reconciled (asked on the scheduler thread, behind them).
     */
    boolean probes(UUID id) throws InterruptedException, java.util.concurrent.ExecutionException {
        return scheduler.submit(() -> targets.containsKey(id)).get();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private static final class Target {
        volatile Destination destination;
        final long intervalMs;
        final AtomicBoolean inFlight = new AtomicBoolean();
        ScheduledFuture<?> task;

        Target(Destination destination, long intervalMs) {
            this.destination = destination;
            this.intervalMs = intervalMs;
        }
    }
}
