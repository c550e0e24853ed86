package io.sipvane.store.postgres;

import static io.sipvane.store.postgres.StoreFixtures.FIRST_URI;
import static io.sipvane.store.postgres.StoreFixtures.await;
import static io.sipvane.store.postgres.StoreFixtures.config;
import static io.sipvane.store.postgres.StoreFixtures.setWeight;
import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.model.TrunkMatch;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long a write through router A takes (committed, A's table published), and how long it
 * then takes to reach router B's routing table, with 10 and with 10,000 origination URIs in
 * the database (other sizes with {@code -Dsipvane.propagation.uris=100000}). The target is 200 ms; the test logs
 * the median, 95th percentile and maximum of 20 writes and fails above one second (a loaded
 * CI machine), so the figure in the README is what this prints:
 * {@code mvn -B -pl router-store-postgres -am verify -Dtest=PropagationLatencyTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class PropagationLatencyTest {
    private static final Logger LOG = LoggerFactory.getLogger(PropagationLatencyTest.class);

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    /** The table sizes: 10 and 10,000, or {@code -Dsipvane.propagation.uris=100000} (a comma-separated list). */
    static java.util.stream.IntStream sizes() {
        return Arrays.stream(System.getProperty("sipvane.propagation.uris", "10,10000").split(","))
                .mapToInt(n -> Integer.parseInt(n.trim()));
    }

    @ParameterizedTest(name = "{0} origination URIs")
    @MethodSource("sizes")
    void writeThroughA_routesOnB(int uriCount) throws Exception {
        String url = POSTGRES.server().createDatabase();
        SipvaneConfig file = withUris(config(url, POSTGRES.server().user(), true), uriCount);
        try (PostgresStore a = PostgresStore.open(file, Clock.systemUTC());
                PostgresStore b = PostgresStore.open(config(url, POSTGRES.server().user(), false), Clock.systemUTC())) {
            a.watch();
            b.watch();
            await("both follow", 10_000, () -> a.following() && b.following());
            assertThat(b.current().originationUris()).hasSize(uriCount);

            int samples = 20;
            long[] micros = new long[samples];
            long[] writeMicros = new long[samples];
            for (int i = 0; i < samples; i++) {
                int weight = 100 + i;
                long start = System.nanoTime();
                a.update(c -> setWeight(c, FIRST_URI, weight)).get(30, TimeUnit.SECONDS);
                long written = System.nanoTime();
                writeMicros[i] = (written - start) / 1000;
                await("B routes with weight " + weight, 10_000, () -> weightOnB(b) == weight);
                micros[i] = (System.nanoTime() - written) / 1000;
            }
            Arrays.sort(micros);
            Arrays.sort(writeMicros);
            LOG.info("write through A (committed, A's table published) with {} URIs over {} writes: median {} ms, "
                    + "p95 {} ms, max {} ms", uriCount, samples, ms(writeMicros[samples / 2]),
                    ms(writeMicros[samples * 95 / 100]), ms(writeMicros[samples - 1]));
            LOG.info("propagation A -> B with {} URIs over {} writes: median {} ms, p95 {} ms, max {} ms", uriCount,
                    samples, ms(micros[samples / 2]), ms(micros[samples * 95 / 100]), ms(micros[samples - 1]));
            assertThat(micros[samples / 2]).as("median propagation (us)").isLessThan(1_000_000);
        }
    }

    /** The weight B's routing table uses for the first URI (the table, not just the config). */
    private static int weightOnB(PostgresStore b) {
        return b.table().current().trunkFor("x", "14155550100").destinations().stream()
                .filter(d -> d.id().equals(FIRST_URI)).findFirst().map(d -> d.weight()).orElse(-1);
    }

    private static String ms(long micros) {
        return String.format(java.util.Locale.ROOT, "%.1f", micros / 1000.0);
    }

    /**
     * The fixture's config with URIs added until there are {@code count}: 10 per trunk, on
     * trunks of their own (a trunk's size, not the table's, is what a write rebuilds).
     */
    private static SipvaneConfig withUris(SipvaneConfig config, int count) {
        List<Trunk> trunks = new ArrayList<>(config.trunks());
        List<OriginationUri> uris = new ArrayList<>(config.originationUris());
        for (int i = uris.size(); i < count; i++) {
            UUID trunk = new UUID(0x7e11, i / 10);
            if (i % 10 == 0 || i == config.originationUris().size()) {
                trunks.add(new Trunk(trunk, StoreFixtures.ACCOUNT, "t" + i / 10, null, TrunkMatch.NONE, null, null, null,
                        null, null));
            }
            uris.add(OriginationUri.of(new UUID(0x5eed, i), StoreFixtures.ACCOUNT, trunk,
                    "sip:10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255) + ":5060", 1 + i % 3, 10));
        }
        return config.withTenantData(config.accounts(), trunks, uris);
    }
}
