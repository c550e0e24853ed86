package io.sipvane.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sipvane.core.health.HealthView;
import io.sipvane.core.health.PassiveQuarantine;
import io.sipvane.core.health.ProbeHealth;
import io.sipvane.core.model.TrunkMatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Health transitions reach the first-pick tables through the routing table, never per call. */
class HealthRebuildTest {
    private static final UUID OTHER = UUID.fromString("00000000-0000-4000-8000-0000000000aa");

    private final Fixtures fixtures = Fixtures.oneTrunk()
            .trunk(Fixtures.trunk(OTHER, new TrunkMatch(List.of("9"), List.of(), false)));
    private final UUID a;
    private final UUID b;

    HealthRebuildTest() {
        fixtures.uri(5071, 1, 10).uri(5072, 1, 30).uri(5081, 2, 10);
        fixtures.uri(OTHER, 5091, 1, 10, true);
        a = fixtures.uris().get(0).id();
        b = fixtures.uris().get(1).id();
    }

    @Test
    void probeTransitions_rebuildOnlyTheTrunksRoutingThatUri() {
        RoutingTable table = new RoutingTable(fixtures.config());
        ProbeHealth probes = new ProbeHealth(1, 1);
        table.useHealth(probes);
        RoutingSnapshot before = table.current();

        probes.record(b, false); // down after one failed probe

        RoutingSnapshot after = table.current();
        assertThat(after.version()).isEqualTo(before.version() + 1);
        assertThat(FirstPickTest.exactShares(after.trunk(Fixtures.TRUNK))).isEqualTo(java.util.Map.of(5071, 10L));
        assertThat(after.trunk(OTHER)).isSameAs(before.trunk(OTHER));
        assertThat(after.config()).isSameAs(before.config());

        probes.record(b, true);

        assertThat(FirstPickTest.exactShares(table.current().trunk(Fixtures.TRUNK)))
                .isEqualTo(java.util.Map.of(5071, 10L, 5072, 30L));
    }

    @Test
    void useHealth_appliesTheViewToEveryTrunkAtOnce() {
        RoutingTable table = new RoutingTable(fixtures.config());
        ProbeHealth probes = new ProbeHealth(1, 1);
        probes.record(a, false);
        probes.record(b, false);

        table.useHealth(probes);

        assertThat(table.current().trunk(Fixtures.TRUNK).firstPick(new java.util.SplittableRandom(1)).port()).isEqualTo(5081);
    }

    @Test
    void aNewConfigReadsHealthAfresh() {
        RoutingTable table = new RoutingTable(fixtures.config());
        ProbeHealth probes = new ProbeHealth(1, 1);
        table.useHealth(probes);
        probes.record(a, false);

        table.publish(fixtures.config());

        assertThat(FirstPickTest.exactShares(table.current().trunk(Fixtures.TRUNK))).isEqualTo(java.util.Map.of(5072, 30L));
    }

    @Test
    void aTransitionDuringAConfigPublicationIsAppliedRightAfterIt_withoutTheSignallingThreadWaiting() {
        RoutingTable table = new RoutingTable(fixtures.config());
        Set<UUID> down = ConcurrentHashMap.newKeySet();
        List<Runnable> signal = new ArrayList<>();
        table.useHealth(new HealthView() {
            @Override
            public boolean isUp(UUID uriId) {
                return !down.contains(uriId);
            }

            @Override
            public void onTransition(java.util.function.Consumer<UUID> listener) {
                signal.add(() -> listener.accept(a));
            }
        });
        table.onPublish(snapshot -> {
            // another thread signals while this one holds the publication lock
            down.add(a);
            CompletableFuture.runAsync(signal.get(0)).orTimeout(5, TimeUnit.SECONDS).join();
        });

        table.publish(fixtures.config());

        assertThat(FirstPickTest.exactShares(table.current().trunk(Fixtures.TRUNK))).isEqualTo(java.util.Map.of(5072, 30L));
    }

    @Test
    void quarantine_startAndScheduledExpiry_rebuildTheTable() {
        AtomicLong nanos = new AtomicLong();
        Ticker ticker = nanos::get;
        List<Runnable> scheduled = new ArrayList<>();
        List<Long> delays = new ArrayList<>();
        Scheduler scheduler = (executor, command, delay, unit) -> {
            scheduled.add(command);
            delays.add(unit.toNanos(delay));
            return CompletableFuture.completedFuture(null);
        };
        PassiveQuarantine quarantine = new PassiveQuarantine(2, Duration.ofSeconds(10), ticker, scheduler);
        RoutingTable table = new RoutingTable(fixtures.config());
        table.useHealth(quarantine);

        quarantine.recordFailure(a);
        quarantine.recordFailure(a);

        assertThat(FirstPickTest.exactShares(table.current().trunk(Fixtures.TRUNK))).isEqualTo(java.util.Map.of(5072, 30L));
        assertThat(delays).containsExactly(Duration.ofSeconds(10).toNanos());

        nanos.addAndGet(Duration.ofSeconds(4).toNanos());
        quarantine.recordFailure(a); // renews the quarantine: now ends at 14 s
        quarantine.recordFailure(a);
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());
        runAll(scheduled); // the check at 10 s finds it still quarantined and waits out the rest

        assertThat(delays).containsExactly(Duration.ofSeconds(10).toNanos(), Duration.ofSeconds(4).toNanos());
        assertThat(FirstPickTest.exactShares(table.current().trunk(Fixtures.TRUNK))).isEqualTo(java.util.Map.of(5072, 30L));

        nanos.addAndGet(Duration.ofSeconds(4).toNanos());
        runAll(scheduled);

        assertThat(FirstPickTest.exactShares(table.current().trunk(Fixtures.TRUNK)))
                .isEqualTo(java.util.Map.of(5071, 10L, 5072, 30L));
        assertThat(scheduled).isEmpty();
    }

    @Test
    void quarantine_releaseRebuildsAtOnce() {
        PassiveQuarantine quarantine = new PassiveQuarantine(1, Duration.ofSeconds(10), Ticker.systemTicker(),
                Scheduler.disabledScheduler());
        RoutingTable table = new RoutingTable(fixtures.config());
        table.useHealth(quarantine);
        quarantine.recordFailure(b);
        assertThat(FirstPickTest.exactShares(table.current().trunk(Fixtures.TRUNK))).isEqualTo(java.util.Map.of(5071, 10L));

        quarantine.release(b);

        assertThat(FirstPickTest.exactShares(table.current().trunk(Fixtures.TRUNK)))
                .isEqualTo(java.util.Map.of(5071, 10L, 5072, 30L));
    }

    @Test
    void combinedView_signalsTheTransitionsOfBoth() {
        ProbeHealth probes = new ProbeHealth(1, 1);
        PassiveQuarantine quarantine = new PassiveQuarantine(1, Duration.ofSeconds(10), Ticker.systemTicker(),
                Scheduler.disabledScheduler());
        RoutingTable table = new RoutingTable(fixtures.config());
        table.useHealth(probes.and(quarantine));

        probes.record(a, false);
        quarantine.recordFailure(b);

        assertThat(table.current().trunk(Fixtures.TRUNK).firstPick(new java.util.SplittableRandom(1)).port()).isEqualTo(5081);
    }

    @Test
    void aTransitionOfAUriNoTrunkRoutes_publishesNothing() {
        RoutingTable table = new RoutingTable(fixtures.config());
        long version = table.current().version();

        table.healthChanged(UUID.randomUUID());

        assertThat(table.current().version()).isEqualTo(version);
    }

    @Test
    void aConfigWrite_reusesTheTrunksItDidNotTouch_withTheirHealth() {
        RoutingTable table = new RoutingTable(fixtures.config());
        ProbeHealth probes = new ProbeHealth(1, 1);
        table.useHealth(probes);
        UUID otherUri = fixtures.uris().get(3).id();
        probes.record(otherUri, false); // OTHER's only URI: its first pick panics
        RoutingSnapshot before = table.current();
        List<io.sipvane.core.model.OriginationUri> uris = new ArrayList<>(fixtures.uris());
        uris.set(0, uris.get(0).withPriority(3));

        table.publish(fixtures.config().withOriginationUris(uris));

        RoutingSnapshot after = table.current();
        assertThat(after.trunk(OTHER)).isSameAs(before.trunk(OTHER));
        assertThat(after.trunk(OTHER).firstPickInPanicMode()).isTrue();
        assertThat(after.trunk(Fixtures.TRUNK)).isNotSameAs(before.trunk(Fixtures.TRUNK));
        assertThat(after.trunk(Fixtures.TRUNK).destinations()).extracting(Destination::priority).containsExactly(1, 2, 3);
        assertThat(after.trunkFor("x", "9")).isSameAs(after.trunk(OTHER));
    }

    @Test
    void aConfigWrite_queuedHealthChangesReachReusedTrunks() {
        RoutingTable table = new RoutingTable(fixtures.config());
        Set<UUID> down = ConcurrentHashMap.newKeySet();
        UUID otherUri = fixtures.uris().get(3).id();
        table.useHealth(id -> !down.contains(id));
        List<io.sipvane.core.model.OriginationUri> uris = new ArrayList<>(fixtures.uris());
        uris.set(0, uris.get(0).withPriority(3));
        table.onPublish(snapshot -> {
            // a transition signalled while the config is being published, from another thread
            down.add(otherUri);
            CompletableFuture.runAsync(() -> table.healthChanged(otherUri)).orTimeout(5, TimeUnit.SECONDS).join();
        });

        table.publish(fixtures.config().withOriginationUris(uris));

        assertThat(table.current().trunk(OTHER).firstPickInPanicMode()).isTrue();
    }

    @Test
    void aConfigWrite_movingUrisBetweenTrunks_keepsHealthChangesReachingTheTrunksThatRouteThem() {
        RoutingTable table = new RoutingTable(fixtures.config());
        Set<UUID> down = ConcurrentHashMap.newKeySet();
        table.useHealth(id -> !down.contains(id));
        UUID otherUri = fixtures.uris().get(3).id();
        RoutingSnapshot before = table.current();
        // b moves from the default trunk to OTHER; a is disabled: OTHER's URI set and the default's change
        List<io.sipvane.core.model.OriginationUri> uris = new ArrayList<>(fixtures.uris());
        uris.set(1, copy(uris.get(1), OTHER, true));
        uris.set(0, copy(uris.get(0), Fixtures.TRUNK, false));

        table.publish(fixtures.config().withOriginationUris(uris));
        RoutingSnapshot after = table.current();
        assertThat(FirstPickTest.exactShares(after.trunk(OTHER))).isEqualTo(java.util.Map.of(5091, 10L, 5072, 30L));
        assertThat(after.trunkFor("x", "9")).isSameAs(after.trunk(OTHER)); // the lookups are the same
        assertThat(after.trunkFor("x", "1")).isSameAs(after.trunk(Fixtures.TRUNK));

        down.add(b);
        table.healthChanged(b); // reaches OTHER, where b is now
        assertThat(FirstPickTest.exactShares(table.current().trunk(OTHER))).isEqualTo(java.util.Map.of(5091, 10L));
        RoutingSnapshot beforeA = table.current();
        down.add(fixtures.uris().get(0).id());
        table.healthChanged(fixtures.uris().get(0).id()); // a is disabled: no trunk routes it any more
        assertThat(table.current()).isSameAs(beforeA);
        down.add(otherUri);
        table.healthChanged(otherUri);
        assertThat(table.current().trunk(OTHER).firstPickInPanicMode()).isTrue();
        assertThat(before.trunk(OTHER).firstPickInPanicMode()).as("the earlier snapshot is untouched").isFalse();
    }

    @Test
    void singleUriWrites_publishWhatAFreshBuildWould_andHealthStillReachesMovedUris() {
        RoutingTable table = new RoutingTable(fixtures.config());
        Set<UUID> down = ConcurrentHashMap.newKeySet();
        table.useHealth(id -> !down.contains(id));
        java.util.Random random = new java.util.Random(5);
        io.sipvane.core.config.SipvaneConfig config = fixtures.config();
        for (int step = 0; step < 300; step++) {
            List<io.sipvane.core.model.OriginationUri> uris = config.originationUris();
            io.sipvane.core.model.OriginationUri u = uris.get(random.nextInt(uris.size()));
            UUID trunk = random.nextBoolean() ? OTHER : Fixtures.TRUNK;
            config = switch (random.nextInt(4)) {
                case 0 -> config.withOriginationUri(copy(u, trunk, random.nextInt(4) != 0));
                case 1 -> config.withOriginationUri(u.withPriority(1 + random.nextInt(3)));
                case 2 -> uris.size() > 3 ? config.withoutOriginationUri(u.id()) : config;
                default -> config.withOriginationUri(new io.sipvane.core.model.OriginationUri(new UUID(5, step),
                        Fixtures.ACCOUNT, trunk, "", "sip:127.0.0.1:" + (6000 + step), null, 1 + random.nextInt(2),
                        1 + random.nextInt(9), true, null, false, null, null, null, null));
            };
            table.publish(config);
            if (random.nextInt(5) == 0) {
                UUID flipped = config.originationUris().get(random.nextInt(config.originationUris().size())).id();
                if (!down.remove(flipped)) {
                    down.add(flipped);
                }
                table.healthChanged(flipped);
            }
            RoutingSnapshot fresh = RoutingSnapshot.build(config, id -> !down.contains(id), 1);
            for (UUID t : List.of(Fixtures.TRUNK, OTHER)) {
                assertThat(table.current().trunk(t).destinations()).as("step %d", step)
                        .isEqualTo(fresh.trunk(t).destinations());
                assertThat(FirstPickTest.exactShares(table.current().trunk(t))).as("step %d", step)
                        .isEqualTo(FirstPickTest.exactShares(fresh.trunk(t)));
            }
        }
    }

    @Test
    void aConfigWrite_changingTheFailoverDefaults_rebuildsEveryTrunk() {
        RoutingTable table = new RoutingTable(fixtures.config());
        RoutingSnapshot before = table.current();
        io.sipvane.core.config.SipvaneConfig c = fixtures.config();
        io.sipvane.core.config.SipSettings sip = c.sip();
        io.sipvane.core.model.FailoverPolicy f = sip.failover();
        io.sipvane.core.config.SipSettings changed = new io.sipvane.core.config.SipSettings(sip.listen(), sip.allowFrom(),
                new io.sipvane.core.model.FailoverPolicy(f.onCodes(), f.attemptTimeoutMs(), 2), sip.maxInFlight());

        table.publish(new io.sipvane.core.config.SipvaneConfig(changed, c.admin(), c.health(), c.accounts(), c.trunks(),
                c.originationUris()));

        assertThat(table.current().trunk(OTHER)).isNotSameAs(before.trunk(OTHER));
        assertThat(table.current().trunk(OTHER).policy().maxAttempts()).isEqualTo(2);
    }

    private static io.sipvane.core.model.OriginationUri copy(io.sipvane.core.model.OriginationUri u, UUID trunk, boolean enabled) {
        return new io.sipvane.core.model.OriginationUri(u.id(), u.accountId(), trunk, u.name(), u.uri(), null, u.priority(),
                u.weight(), enabled, null, false, null, null, null, null);
    }

    private static void runAll(List<Runnable> scheduled) {
        List<Runnable> due = new ArrayList<>(scheduled);
        scheduled.clear();
        due.forEach(Runnable::run);
    }
}
