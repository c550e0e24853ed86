package io.sipvane.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.model.Account;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.model.TrunkMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A config changed one URI at a time ({@link SipvaneConfig#withOriginationUri},
 * {@link SipvaneConfig#withoutOriginationUri}) is the config the whole check builds from the
 * same lists: same lists, same lookups, same groups, same errors.
 */
class TenantIndexTest {
    private static final String A = "MAAAAAAAAAAAAAAAAAAA";
    private static final String B = "MABBBBBBBBBBBBBBBBBB";
    private static final UUID A1 = new UUID(1, 1);
    private static final UUID A2 = new UUID(1, 2);
    private static final UUID A3 = new UUID(1, 3); // owns nothing: routes A's URIs without a trunk
    private static final UUID B1 = new UUID(1, 4); // names a primary and a fallback

    @Test
    void singleUriChanges_matchTheWholeCheck_overRandomSequences() {
        Random random = new Random(11);
        SipvaneConfig config = initial();
        int refused = 0;
        for (int step = 0; step < 3_000; step++) {
            List<OriginationUri> list = config.originationUris();
            int op = random.nextInt(10);
            SipvaneConfig current = config;
            Outcome actual;
            Outcome expected;
            if (op < 2 && !list.isEmpty()) {
                UUID id = list.get(random.nextInt(list.size())).id();
                actual = Outcome.of(() -> current.withoutOriginationUri(id));
                List<OriginationUri> rest = new ArrayList<>(list);
                rest.removeIf(u -> u.id().equals(id));
                expected = Outcome.of(() -> current.withOriginationUris(rest));
            } else {
                boolean create = op < 5 || list.isEmpty();
                OriginationUri base = create ? null : list.get(random.nextInt(list.size()));
                OriginationUri uri = randomUri(random, base, step);
                actual = Outcome.of(() -> current.withOriginationUri(uri));
                List<OriginationUri> next = new ArrayList<>(list);
                if (base == null) {
                    next.add(uri);
                } else {
                    next.set(next.indexOf(base), uri);
                }
                expected = Outcome.of(() -> current.withOriginationUris(next));
            }
            assertThat(actual.error).as("step %d", step).isEqualTo(expected.error);
            if (actual.error != null) {
                refused++;
                continue;
            }
            assertSameTenantView(actual.config, expected.config);
            config = actual.config;
        }
        assertThat(refused).as("the sequence exercised refusals too").isBetween(100, 2_000);
        assertThat(config.originationUris()).hasSizeGreaterThan(20);
    }

    @Test
    void aChangeToOneTrunksUri_sharesEveryOtherGroup() {
        SipvaneConfig config = initial();
        OriginationUri ofA1 = config.urisOfTrunk(A1).get(0);

        SipvaneConfig changed = config.withOriginationUri(ofA1.withPriority(9));

        assertThat(changed.urisOfTrunk(A2)).isSameAs(config.urisOfTrunk(A2));
        assertThat(changed.unattachedUris(A)).isSameAs(config.unattachedUris(A));
        assertThat(changed.urisOfTrunk(A1)).isNotSameAs(config.urisOfTrunk(A1));
        assertThat(changed.urisOfTrunk(A1).get(0).priority()).isEqualTo(9);
        assertThat(changed.withOriginationUri(changed.urisOfTrunk(A1).get(0))).isSameAs(changed);
    }

    private static void assertSameTenantView(SipvaneConfig actual, SipvaneConfig expected) {
        assertThat(actual).isEqualTo(expected);
        for (UUID trunk : List.of(A1, A2, A3, B1, new UUID(9, 9))) {
            assertThat(actual.urisOfTrunk(trunk)).isEqualTo(expected.urisOfTrunk(trunk));
            assertThat(actual.usesId(trunk)).isEqualTo(expected.usesId(trunk));
        }
        for (String account : List.of(A, B)) {
            assertThat(actual.unattachedUris(account)).isEqualTo(expected.unattachedUris(account));
        }
        for (OriginationUri u : expected.originationUris()) {
            assertThat(actual.originationUri(u.id())).containsSame(u);
        }
        assertThat(actual.originationUri(new UUID(7, 7))).isEmpty();
    }

    /** A new URI (base null) or a change of {@code base}: sometimes one the whole check refuses. */
    private static OriginationUri randomUri(Random random, OriginationUri base, int step) {
        UUID id = base != null ? base.id() : random.nextInt(30) == 0 ? A2 : new UUID(2, step);
        String account = base != null ? base.accountId() : random.nextBoolean() ? A : B;
        if (random.nextInt(25) == 0) {
            account = account.equals(A) ? B : A;
        }
        UUID[] trunks = {A1, A2, null, null, B1, new UUID(9, 9)};
        UUID trunk = random.nextInt(3) == 0 && base != null ? base.trunkId() : trunks[random.nextInt(trunks.length)];
        String uri = random.nextInt(30) == 0 ? "sip:127.0.0.1:5060" : "sip:127.0.0.1:" + (6000 + random.nextInt(100));
        return new OriginationUri(id, account, trunk, "u" + step, uri, null, 1 + random.nextInt(3), random.nextInt(5),
                random.nextInt(5) != 0, null, false, null, null, null, null);
    }

    private static SipvaneConfig initial() {
        List<Trunk> trunks = List.of(trunk(A1, A, null, null), trunk(A2, A, null, null), trunk(A3, A, null, null),
                trunk(B1, B, new UUID(3, 1), new UUID(3, 2)));
        List<OriginationUri> uris = List.of(uri(new UUID(3, 1), B, null), uri(new UUID(3, 2), B, null),
                uri(new UUID(3, 3), A, A1), uri(new UUID(3, 4), A, A2), uri(new UUID(3, 5), A, null),
                uri(new UUID(3, 6), A, A1));
        return new SipvaneConfig(null, null, null, List.of(Account.withToken(A, "t"), Account.withToken(B, "t")), trunks,
                uris);
    }

    private static Trunk trunk(UUID id, String account, UUID primary, UUID fallback) {
        return new Trunk(id, account, "t", null, new TrunkMatch(List.of(), List.of(id.toString().substring(30) + ".example"),
                false), null, primary, fallback, null, null);
    }

    private static OriginationUri uri(UUID id, String account, UUID trunk) {
        return new OriginationUri(id, account, trunk, "", "sip:127.0.0.1:7000", null, 1, 1, true, null, false, null, null,
                null, null);
    }

    private record Outcome(SipvaneConfig config, String error) {
        static Outcome of(Supplier<SipvaneConfig> change) {
            try {
                return new Outcome(change.get(), null);
            } catch (IllegalArgumentException e) {
                return new Outcome(null, e.getMessage());
            }
        }
    }
}
