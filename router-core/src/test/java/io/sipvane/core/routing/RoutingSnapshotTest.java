package io.sipvane.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipvane.core.health.HealthView;
import io.sipvane.core.model.Account;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.model.TrunkMatch;
import io.sipvane.core.config.SipvaneConfig;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RoutingSnapshotTest {
    static final UUID BY_DOMAIN = UUID.fromString("00000000-0000-4000-8000-00000000000d");
    static final UUID BY_SHORT = UUID.fromString("00000000-0000-4000-8000-000000000141");
    static final UUID BY_LONG = UUID.fromString("00000000-0000-4000-8000-000000014155");
    static final UUID FALLBACK = UUID.fromString("00000000-0000-4000-8000-0000000000ff");

    private final RoutingSnapshot snapshot = RoutingSnapshot.build(new Fixtures()
            .trunk(Fixtures.trunk(BY_DOMAIN, new TrunkMatch(List.of(), List.of("Trunk1.Example.net"), false)))
            .trunk(Fixtures.trunk(BY_SHORT, new TrunkMatch(List.of("+141"), List.of(), false)))
            .trunk(Fixtures.trunk(BY_LONG, new TrunkMatch(List.of("14155"), List.of(), false)))
            .trunk(Fixtures.trunk(FALLBACK, new TrunkMatch(List.of(), List.of(), true)))
            .config(), 1);

    @Test
    void trunkFor_domainBeatsNumber() {
        assertThat(snapshot.trunkFor("trunk1.example.net", "+14155550100").trunk().id()).isEqualTo(BY_DOMAIN);
        assertThat(snapshot.trunkFor("TRUNK1.EXAMPLE.NET", null).trunk().id()).isEqualTo(BY_DOMAIN);
    }

    @Test
    void trunkFor_anotherAccountsNumberBeatsADomain_soNoTenantTakesAnothersCalls() {
        String tenant = "MATENANT000000000000";
        Trunk theirs = new Trunk(BY_DOMAIN, tenant, "b", null, new TrunkMatch(List.of(), List.of("127.0.0.1"), false),
                null, null, null, null, null);
        RoutingSnapshot twoTenants = RoutingSnapshot.build(new SipvaneConfig(null, null, null,
                List.of(Account.withToken(Fixtures.ACCOUNT, "t"), Account.withToken(tenant, "t")),
                List.of(theirs, Fixtures.trunk(BY_SHORT, new TrunkMatch(List.of("+1415"), List.of(), false)),
                        Fixtures.trunk(FALLBACK, new TrunkMatch(List.of(), List.of(), true))), List.of()), 1);

        assertThat(twoTenants.trunkFor("127.0.0.1", "+14155550100").trunk().id()).isEqualTo(BY_SHORT);
        assertThat(twoTenants.trunkFor("127.0.0.1", "16505550100").trunk().id()).isEqualTo(BY_DOMAIN);
        assertThat(twoTenants.trunkFor("10.0.0.1", "16505550100").trunk().id()).isEqualTo(FALLBACK);
    }

    @Test
    void trunkFor_longestPrefixWins_withOrWithoutPlus() {
        assertThat(snapshot.trunkFor("10.0.0.1", "+14155550100").trunk().id()).isEqualTo(BY_LONG);
        assertThat(snapshot.trunkFor("10.0.0.1", "14155550100").trunk().id()).isEqualTo(BY_LONG);
        assertThat(snapshot.trunkFor("10.0.0.1", "+14165550100").trunk().id()).isEqualTo(BY_SHORT);
        assertThat(snapshot.trunkFor("10.0.0.1", "141").trunk().id()).isEqualTo(BY_SHORT);
    }

    @Test
    void trunkFor_fallsBackToTheDefaultTrunk() {
        assertThat(snapshot.trunkFor("other.example.net", "+4420").trunk().id()).isEqualTo(FALLBACK);
        assertThat(snapshot.trunkFor(null, null).trunk().id()).isEqualTo(FALLBACK);
        assertThat(snapshot.trunkFor("x", "14").trunk().id()).isEqualTo(FALLBACK);
    }

    @Test
    void trunkFor_noMatchAndNoDefault_isNull() {
        RoutingSnapshot noDefault = RoutingSnapshot.build(new Fixtures()
                .trunk(Fixtures.trunk(BY_SHORT, new TrunkMatch(List.of("141"), List.of(), false))).config(), 1);

        assertThat(noDefault.trunkFor("x", "+4420")).isNull();
        assertThat(noDefault.trunkFor("x", "")).isNull();
        assertThat(noDefault.trunkFor("x", "+")).isNull();
    }

    @Test
    void plivoStyleTrunk_routesPrimaryAtOneAndFallbackAtTwo() {
        UUID primary = UUID.randomUUID();
        UUID fallback = UUID.randomUUID();
        UUID trunkId = UUID.randomUUID();
        List<OriginationUri> uris = List.of(
                OriginationUri.of(fallback, "MAX00000000000000000", null, "sip:127.0.0.1:5082", 1, 10),
                OriginationUri.of(primary, "MAX00000000000000000", null, "sip:127.0.0.1:5081", 7, 10),
                OriginationUri.of(UUID.randomUUID(), "MAX00000000000000000", null, "sip:127.0.0.1:5083", 1, 10));
        Trunk trunk = new Trunk(trunkId, "MAX00000000000000000", "plivo", "inbound", new TrunkMatch(List.of(), List.of(), true), null,
                primary, fallback, null, null);
        RoutingSnapshot s = RoutingSnapshot.build(new SipvaneConfig(null, null, null,
                List.of(Account.withToken("MAX00000000000000000", "t")), List.of(trunk), uris), 1);

        RoutedTrunk routed = s.trunk(trunkId);
        SplittableRandom random = new SplittableRandom(1);
        Destination first = routed.firstPick(random);
        List<Destination> walk = new java.util.ArrayList<>(List.of(first));
        walk.addAll(FailoverPlanTest.walk(routed.planAfter(first, random, HealthView.ALL_UP)));

        assertThat(walk).extracting(Destination::port).containsExactly(5081, 5082);
        assertThat(walk).extracting(Destination::priority).containsExactly(1, 2);
    }

    @Test
    void rebuild_reusesAPlivoStyleTrunkOnlyWhileItsNamedUrisAreTheSameObjects() {
        UUID primary = UUID.randomUUID();
        UUID fallback = UUID.randomUUID();
        UUID trunkId = UUID.randomUUID();
        List<OriginationUri> uris = List.of(
                OriginationUri.of(fallback, "MA_X", null, "sip:127.0.0.1:5082", 1, 10),
                OriginationUri.of(primary, "MA_X", null, "sip:127.0.0.1:5081", 7, 10));
        Trunk trunk = new Trunk(trunkId, "MA_X", "plivo", "inbound", new TrunkMatch(List.of(), List.of(), true), null,
                primary, fallback, null, null);
        SipvaneConfig config = new SipvaneConfig(null, null, null, List.of(Account.withToken("MA_X", "t")), List.of(trunk), uris);
        RoutingSnapshot first = RoutingSnapshot.build(config, 1);

        RoutingSnapshot same = RoutingSnapshot.build(config.withOriginationUris(uris), HealthView.ALL_UP, 2, first);
        RoutingSnapshot changed = RoutingSnapshot.build(
                config.withOriginationUris(List.of(uris.get(0).withPriority(3), uris.get(1))), HealthView.ALL_UP, 3, first);

        assertThat(same.trunk(trunkId)).isSameAs(first.trunk(trunkId));
        assertThat(changed.trunk(trunkId)).isNotSameAs(first.trunk(trunkId));
        assertThat(changed.trunk(trunkId).destinations()).extracting(Destination::priority).containsExactly(1, 2);
    }

    @Test
    void rebuild_vobizStyleTrunk_seesAnUriDisabledOrMovedBetweenPriorities() {
        Fixtures f = Fixtures.oneTrunk().uri(5071, 1, 10).uri(5072, 2, 10).uri(5073, 1, 10);
        RoutingSnapshot first = RoutingSnapshot.build(f.config(), 1);
        List<OriginationUri> uris = new java.util.ArrayList<>(f.uris());

        RoutingSnapshot same = RoutingSnapshot.build(f.config().withOriginationUris(uris), HealthView.ALL_UP, 2, first);
        uris.set(2, uris.get(2).withPriority(2));
        RoutingSnapshot moved = RoutingSnapshot.build(f.config().withOriginationUris(uris), HealthView.ALL_UP, 3, same);

        assertThat(same.trunk(Fixtures.TRUNK)).isSameAs(first.trunk(Fixtures.TRUNK));
        assertThat(moved.trunk(Fixtures.TRUNK).destinations()).extracting(Destination::port).containsExactly(5071, 5072, 5073);
        assertThat(moved.trunk(Fixtures.TRUNK).destinations()).extracting(Destination::priority).containsExactly(1, 2, 2);
    }

    @Test
    void trunkWithoutOwnUris_usesTheAccountsUnattachedUris() {
        UUID trunkA = UUID.randomUUID();
        UUID trunkB = UUID.randomUUID();
        Fixtures f = new Fixtures()
                .trunk(Fixtures.trunk(trunkA, new TrunkMatch(List.of("1"), List.of(), false)))
                .trunk(Fixtures.trunk(trunkB, new TrunkMatch(List.of("2"), List.of(), false)));
        f.uri(trunkA, 5071, 1, 10, true);
        f.uri(null, 5091, 1, 10, true);
        f.uri(null, 5092, 2, 10, true);
        RoutingSnapshot s = RoutingSnapshot.build(f.config(), 1);

        assertThat(s.trunk(trunkA).destinations()).extracting(Destination::port).containsExactly(5071);
        assertThat(s.trunk(trunkB).destinations()).extracting(Destination::port).containsExactly(5091, 5092);
    }

    @Test
    void trunkWithoutOwnUris_sharesTheAccountsUris_andAHealthChangeRebuildsEveryTrunkUsingThem() {
        UUID trunkA = UUID.randomUUID();
        UUID trunkB = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        Fixtures f = new Fixtures()
                .trunk(Fixtures.trunk(trunkA, new TrunkMatch(List.of("1"), List.of(), false)))
                .trunk(Fixtures.trunk(trunkB, new TrunkMatch(List.of("2"), List.of(), false)))
                .trunk(Fixtures.trunk(other, new TrunkMatch(List.of("3"), List.of(), false)));
        f.uri(null, 5091, 1, 10, true);
        f.uri(null, 5092, 1, 10, true);
        f.uri(other, 5071, 1, 10, true);
        UUID down = f.uris().get(0).id();
        RoutingSnapshot s = RoutingSnapshot.build(f.config(), 1);

        RoutingSnapshot next = s.withHealth(id -> !id.equals(down), List.of(down), 2);

        assertThat(next.version()).isEqualTo(2);
        for (UUID t : List.of(trunkA, trunkB)) {
            FirstPick table = next.trunk(t).firstPickTable();
            assertThat(table.size()).isEqualTo(1);
            assertThat(table.member(0).port()).isEqualTo(5092);
            assertThat(s.trunk(t).firstPickTable().size()).isEqualTo(2); // the old snapshot is untouched
        }
        assertThat(next.trunk(other)).isSameAs(s.trunk(other));
        assertThat(next.trunkFor("x", "3")).isSameAs(s.trunk(other));
        assertThat(s.withHealth(id -> false, List.of(UUID.randomUUID()), 3)).isSameAs(s);
    }

    @Test
    void conflictingMatchRulesAreRejected() {
        Fixtures f = new Fixtures()
                .trunk(Fixtures.trunk(BY_SHORT, new TrunkMatch(List.of("+141"), List.of(), false)))
                .trunk(Fixtures.trunk(BY_LONG, new TrunkMatch(List.of("141"), List.of(), false)));

        assertThatThrownBy(f::config).hasMessage("trunks[1].match.numbers[0]: prefix 141 is already matched by trunks[0]");
    }
}
