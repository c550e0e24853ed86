package io.sipvane.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.health.HealthView;
import io.sipvane.core.config.SipvaneConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

    /**
     * Generation g of the config has URIs on ports 10000 + g*10 .. + 4 only, so a plan that
     * mixed two snapshots would return ports of two generations.
     */
    private static SipvaneConfig generation(int g) {
        Fixtures f = Fixtures.oneTrunk();
        int base = 10_000 + (g % 5000) * 10;
        f.uri(base, 1, 10).uri(base + 1, 1, 20).uri(base + 2, 1, 0).uri(base + 3, 2, 10).uri(base + 4, 3, 1);
        return f.config();
    }

    @Test
    void publish_swapsWhileReadersPick_andNoPickMixesTwoSnapshots() throws Exception {
        RoutingTable table = new RoutingTable(generation(0));
        int readers = 3;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong plans = new AtomicLong();
        AtomicLong versionsSeen = new AtomicLong();
        CountDownLatch started = new CountDownLatch(readers);
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        List<Future<String>> results = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            results.add(pool.submit(() -> {
                started.countDown();
                long lastVersion = 0;
                while (!stop.get()) {
                    RoutingSnapshot snapshot = table.current();
                    if (snapshot.version() < lastVersion) {
                        return "version went backwards: " + snapshot.version() + " after " + lastVersion;
                    }
                    if (snapshot.version() != lastVersion) {
                        versionsSeen.incrementAndGet();
                    }
                    lastVersion = snapshot.version();
                    RoutedTrunk trunk = snapshot.trunkFor("127.0.0.1", "+14155550100");
                    Destination first = trunk.firstPick(ThreadLocalRandom.current());
                    FailoverPlan plan = trunk.planAfter(first, ThreadLocalRandom.current(), HealthView.ALL_UP);
                    int generationBase = first.port() - first.port() % 10;
                    for (Destination d = plan.next(); d != null; d = plan.next()) {
                        int base = d.port() - d.port() % 10;
                        if (generationBase >= 0 && base != generationBase) {
                            return "plan mixed generations " + generationBase + " and " + base;
                        }
                        generationBase = base;
                    }
                    if (plan.attempts() != 4) {
                        return "plan tried " + plan.attempts() + " destinations";
                    }
                    plans.incrementAndGet();
                }
                return "ok";
            }));
        }
        started.await();
        for (int g = 1; g <= 2000; g++) {
            table.publish(generation(g));
        }
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        for (Future<String> result : results) {
            assertThat(result.get()).isEqualTo("ok");
        }
        assertThat(table.current().version()).isEqualTo(2001);
        assertThat(plans.get()).isPositive();
        assertThat(versionsSeen.get()).isGreaterThan(readers); // readers really saw swaps
    }

    @Test
    void publish_notifiesListenersWithTheNewSnapshot() {
        RoutingTable table = new RoutingTable(generation(0));
        List<Long> seen = new ArrayList<>();
        table.onPublish(s -> seen.add(s.version()));

        table.publish(generation(1));
        table.publish(generation(2));

        assertThat(seen).containsExactly(2L, 3L);
    }
}
