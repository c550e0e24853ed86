package io.sipvane.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.model.Account;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.model.TrunkMatch;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A change recorded as YAML and read back turns the config before into the config after,
 * and a journal replayed over any config written part way through it ends where the writes
 * ended.
 */
class TenantChangeTest {
    private static final String A = "MAAAAAAAAAAAAAAAAAAA";
    private static final UUID T1 = new UUID(1, 1);
    private static final UUID T2 = new UUID(1, 2);

    @Test
    void recordedChanges_replayToTheSameConfig_fromAnyPointOfTheJournal() throws Exception {
        Random random = new Random(3);
        List<SipvaneConfig> states = new ArrayList<>();
        List<byte[]> journal = new ArrayList<>();
        SipvaneConfig config = initial();
        states.add(config);
        for (int step = 0; step < 150; step++) {
            SipvaneConfig next = randomWrite(random, config, step);
            TenantChange change = TenantChange.between(config, next);
            byte[] record = change.toYaml();
            TenantChange read = TenantChange.parse(new String(record, StandardCharsets.UTF_8), "journal");

            assertThat(read.applyTo(config)).as("step %d: %s", step, change).isEqualTo(next);
            journal.add(record);
            states.add(next);
            config = next;
        }
        SipvaneConfig last = states.get(states.size() - 1);
        for (int from = 0; from < states.size(); from += 15) {
            SipvaneConfig replayed = states.get(from);
            for (byte[] record : journal) {
                replayed = TenantChange.parse(new String(record, StandardCharsets.UTF_8), "journal").applyTo(replayed);
            }
            assertThat(replayed).as("replayed over the state after %d writes", from).isEqualTo(last);
        }
    }

    @Test
    void aSingleUriWrite_recordsThatUriOnly() {
        SipvaneConfig config = initial();
        OriginationUri u = config.originationUris().get(1);

        String yaml = new String(TenantChange.between(config, config.withOriginationUri(u.withPriority(7))).toYaml(),
                StandardCharsets.UTF_8);

        assertThat(yaml).startsWith("origination_uris:\n  set:\n").contains("id: " + u.id()).contains("priority: 7")
                .doesNotContain(config.originationUris().get(0).id().toString()).doesNotContain("trunks");
        assertThat(TenantChange.between(config, config).isEmpty()).isTrue();
    }

    @Test
    void aReorderedList_isRecordedWhole() {
        SipvaneConfig config = initial();
        List<OriginationUri> swapped = new ArrayList<>(config.originationUris());
        Collections.swap(swapped, 0, 2);

        String yaml = new String(TenantChange.between(config, config.withOriginationUris(swapped)).toYaml(),
                StandardCharsets.UTF_8);

        assertThat(yaml).startsWith("origination_uris:\n  all:\n");
    }

    private static SipvaneConfig randomWrite(Random random, SipvaneConfig config, int step) {
        List<OriginationUri> uris = config.originationUris();
        OriginationUri some = uris.get(random.nextInt(uris.size()));
        switch (random.nextInt(13)) {
            case 0, 1, 8, 9:
                return config.withOriginationUri(uri(new UUID(2, step), random.nextBoolean() ? T1 : null, 1 + random.nextInt(3)));
            case 2, 10:
                return uris.size() > 4 ? config.withoutOriginationUri(some.id()) : config;
            case 3: {
                List<Trunk> trunks = new ArrayList<>(config.trunks());
                int i = random.nextInt(trunks.size());
                Trunk t = trunks.get(i);
                trunks.set(i, new Trunk(t.id(), t.accountId(), "renamed " + step, null, t.match(), null, null, null,
                        Instant.ofEpochSecond(step), Instant.ofEpochSecond(step)));
                return config.withTrunks(trunks);
            }
            case 4: {
                List<Account> accounts = new ArrayList<>(config.accounts());
                accounts.add(Account.withToken(String.format("MA%018d", step), "token " + step));
                return config.withTenantData(accounts, config.trunks(), uris);
            }
            case 5: {
                List<OriginationUri> reordered = new ArrayList<>(uris);
                Collections.swap(reordered, 0, reordered.size() - 1);
                return config.withOriginationUris(reordered);
            }
            case 6: {
                List<OriginationUri> bulk = new ArrayList<>(uris);
                for (int i = 0; i < 9; i++) {
                    bulk.add(uri(new UUID(3, step * 100L + i), T2, 2));
                }
                return config.withOriginationUris(bulk);
            }
            case 11: {
                List<OriginationUri> inserted = new ArrayList<>(uris);
                inserted.add(1, uri(new UUID(5, step), T1, 3));
                return config.withOriginationUris(inserted);
            }
            default:
                return config.withOriginationUri(new OriginationUri(some.id(), some.accountId(), random.nextBoolean() ? T2 : null,
                        "edited " + step, some.uri(), null, some.priority(), random.nextInt(10), random.nextBoolean(), null,
                        false, null, null, null, Instant.ofEpochSecond(step)));
        }
    }

    private static SipvaneConfig initial() {
        List<Trunk> trunks = List.of(
                new Trunk(T1, A, "one", null, new TrunkMatch(List.of("1"), List.of(), false), null, null, null, null, null),
                new Trunk(T2, A, "two", null, new TrunkMatch(List.of("2"), List.of(), false), null, null, null, null, null));
        return new SipvaneConfig(null, null, null, List.of(Account.withToken(A, "t")), trunks,
                List.of(uri(new UUID(4, 1), T1, 1), uri(new UUID(4, 2), T2, 1), uri(new UUID(4, 3), null, 2)));
    }

    private static OriginationUri uri(UUID id, UUID trunk, int priority) {
        return new OriginationUri(id, A, trunk, "u", "sip:127.0.0.1:" + (7000 + (int) (id.getLeastSignificantBits() % 1000)),
                null, priority, 1, true, null, false, null, null, null, null);
    }
}
