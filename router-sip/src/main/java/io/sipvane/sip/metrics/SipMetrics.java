package io.sipvane.sip.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sipvane.core.health.HealthView;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.routing.Destination;
import io.sipvane.core.routing.RoutedTrunk;
import io.sipvane.core.routing.RoutingSnapshot;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The router's Prometheus metrics. Tags are config objects (trunk, destination URI), never
 * Call-IDs or numbers, so cardinality is bounded by the config; meters of destinations that
 * a new snapshot no longer has are removed.
 *
 * <p>Implementation note: counters are looked up once per (destination, class) or (trunk,
 * outcome) and cached in concurrent maps keyed by small records, so recording on the call
 * path is a map lookup and an atomic add, with no meter registration after warm-up.
 */
public final class SipMetrics {
    /** How a call ended, the {@code outcome} tag of {@code sipvane_calls_total}. */
    public enum Outcome {
        ANSWERED, BUSY, FAILED, CANCELLED, NO_ROUTE, REJECTED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Why a call moved on to the next destination. */
    public enum FailoverReason {
        CODE, TIMEOUT, TRANSPORT;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final String NO_TRUNK = "none";

    private final MeterRegistry registry;
    private final Map<CallKey, Counter> calls = new ConcurrentHashMap<>();
    private final Map<AttemptKey, Counter> attempts = new ConcurrentHashMap<>();
    private final Map<FailoverReason, Counter> failovers = new ConcurrentHashMap<>();
    private final Map<UUID, Gauge> upGauges = new ConcurrentHashMap<>();
    private final Map<UUID, Timer> probeTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> malformed = new ConcurrentHashMap<>();
    private final Map<String, Timer> postDialDelays = new ConcurrentHashMap<>();
    private final Timer routingDecision;
    /** Recent calls and per-URI counts for the console, or null: none kept. */
    private final CallJournal journal;

    public SipMetrics(MeterRegistry registry) {
        this(registry, null);
    }

    /** As above, also keeping finished calls in {@code journal} (null: none). */
    public SipMetrics(MeterRegistry registry, CallJournal journal) {
        this.registry = registry;
        this.journal = journal;
        this.routingDecision = Timer.builder("sipvane.routing.decision")
                .description("Time to find a new call's trunk and draw its first destination").register(registry);
        // present at 0 from the start, so that rates and alerts work before the first bad message
        malformed("udp", 0);
        malformed("tcp", 0);
        for (FailoverReason reason : FailoverReason.values()) {
            failovers.put(reason, Counter.builder("sipvane.failovers").description("Calls moved on to the next destination")
                    .tag("reason", reason.tag()).register(registry));
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Where finished calls are kept for the console, or null. */
    public CallJournal journal() {
        return journal;
    }

    /** Registers the in-flight gauge over the router's live calls. */
    public void inFlight(Supplier<Number> count) {
        Gauge.builder("sipvane.calls.in.flight", count).description("INVITEs being routed now").register(registry);
    }

    public void call(RoutedTrunk trunk, Outcome outcome) {
        call(trunk == null ? NO_TRUNK : trunkTag(trunk), outcome);
    }

    public void call(String trunk, Outcome outcome) {
        calls.computeIfAbsent(new CallKey(trunk, outcome), k -> Counter.builder("sipvane.calls")
                .description("Calls by trunk and how they ended").tag("trunk", k.trunk()).tag("outcome", k.outcome().tag())
                .register(registry)).increment();
    }

    /** One attempt at a destination ended: {@code result} is 2xx..6xx, timeout or transport. */
    public void attempt(Destination destination, String result) {
        attempts.computeIfAbsent(new AttemptKey(destination.id(), destination.source().uri(), result), k -> Counter
                .builder("sipvane.attempts").description("Attempts by destination and result")
                .tag("destination", k.id().toString()).tag("uri", k.uri()).tag("class", k.result()).register(registry))
                .increment();
    }

    public static String responseClass(int code) {
        return switch (code / 100) {
            case 1 -> "1xx";
            case 2 -> "2xx";
            case 3 -> "3xx";
            case 4 -> "4xx";
            case 5 -> "5xx";
            default -> "6xx";
        };
    }

    /**
     * A message the stack's parser rejected or found without a mandatory header, by the
     * transport it came over ({@code udp}, {@code tcp}, {@code tls}: a handful of values).
     */
    public void malformed(String transport) {
        malformed(transport, 1);
    }

    private void malformed(String transport, int n) {
        malformed.computeIfAbsent(transport, t -> Counter.builder("sipvane.malformed.messages")
                .description("Messages rejected as malformed (parse error or missing mandatory header)")
                .tag("transport", t).register(registry)).increment(n);
    }

    /**
     * A call's post-dial delay (INVITE in to ringing or final answer out), by trunk id: a
     * histogram with published buckets from 10 ms to 60 s, so percentiles can be aggregated
     * across routers.
     */
    public void postDialDelay(String trunk, long nanos) {
        postDialDelays.computeIfAbsent(trunk, t -> Timer.builder("sipvane.post.dial.delay")
                .description("Time from a call's INVITE to its ringing or final answer upstream").tag("trunk", t)
                .publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofMillis(10))
                .maximumExpectedValue(java.time.Duration.ofSeconds(60)).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void failover(FailoverReason reason) {
        failovers.get(reason).increment();
    }

    public void routingDecision(long nanos) {
        routingDecision.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void probe(Destination destination, long nanos) {
        probeTimers.computeIfAbsent(destination.id(), id -> Timer.builder("sipvane.probe.rtt")
                .description("OPTIONS probe round-trip time").tag("destination", id.toString())
                .tag("uri", destination.source().uri()).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Keeps one {@code sipvane_destination_up} gauge per origination URI of the snapshot's
     * config that a trunk uses, and removes the meters of URIs that were deleted or that no
     * trunk uses any more (a disabled URI keeps its history).
     */
    public void destinations(RoutingSnapshot snapshot, HealthView health) {
        Map<UUID, OriginationUri> current = snapshot.config().originationUris().stream()
                .filter(u -> !snapshot.unused().contains(u.id())).collect(Collectors.toMap(OriginationUri::id, u -> u));
        for (OriginationUri u : current.values()) {
            upGauges.computeIfAbsent(u.id(), id -> Gauge.builder("sipvane.destination.up", () -> health.isUp(id) ? 1 : 0)
                    .description("1 when the destination takes new calls (probes and quarantine), else 0")
                    .tag("destination", id.toString()).tag("uri", u.uri()).register(registry));
        }
        Set<UUID> gone = upGauges.keySet().stream().filter(id -> !current.containsKey(id)).collect(Collectors.toSet());
        for (UUID id : gone) {
            registry.remove(upGauges.remove(id));
            Timer probe = probeTimers.remove(id);
            if (probe != null) {
                registry.remove(probe);
            }
            attempts.entrySet().removeIf(e -> {
                if (e.getKey().id().equals(id)) {
                    registry.remove(e.getValue());
                    return true;
                }
                return false;
            });
        }
    }

    /** A trunk's series are labelled by its id: two trunks may share a name, never an id. */
    public static String trunkTag(RoutedTrunk trunk) {
        return trunk.trunk().id().toString();
    }

    private record CallKey(String trunk, Outcome outcome) {}

    private record AttemptKey(UUID id, String uri, String result) {}
}
