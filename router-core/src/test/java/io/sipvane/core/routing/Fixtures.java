package io.sipvane.core.routing;

import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.model.Account;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.model.TrunkMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Configs built in code: one account, trunks and URIs on loopback ports. */
final class Fixtures {
    static final String ACCOUNT = "MATEST00000000000000";
    static final UUID TRUNK = UUID.fromString("00000000-0000-4000-8000-000000000001");

    private final List<Trunk> trunks = new ArrayList<>();
    private final List<OriginationUri> uris = new ArrayList<>();
    private int nextId = 1;

    static Fixtures oneTrunk() {
        Fixtures f = new Fixtures();
        f.trunks.add(trunk(TRUNK, new TrunkMatch(List.of(), List.of(), true)));
        return f;
    }

    static Trunk trunk(UUID id, TrunkMatch match) {
        return new Trunk(id, ACCOUNT, "trunk-" + id, null, match, null, null, null, null, null);
    }

    Fixtures trunk(Trunk trunk) {
        trunks.add(trunk);
        return this;
    }

    /** Adds a URI to the default trunk: {@code sip:127.0.0.1:<port>}. */
    Fixtures uri(int port, int priority, int weight) {
        return uri(TRUNK, port, priority, weight, true);
    }

    Fixtures uri(UUID trunkId, int port, int priority, int weight, boolean enabled) {
        UUID id = new UUID(0x1000, nextId++);
        uris.add(new OriginationUri(id, ACCOUNT, trunkId, "uri-" + port, "sip:127.0.0.1:" + port, null,
                priority, weight, enabled, null, false, null, null, null, null));
        return this;
    }

    List<OriginationUri> uris() {
        return uris;
    }

    SipvaneConfig config() {
        return new SipvaneConfig(null, null, null, List.of(Account.withToken(ACCOUNT, "token")), trunks, uris);
    }

    RoutedTrunk routed() {
        return RoutingSnapshot.build(config(), 1).trunk(TRUNK);
    }
}
