package io.sipvane.core.config;

import io.sipvane.core.model.FailoverPolicy;
import java.net.InetAddress;
import java.util.List;

/**
 * The {@code sip:} section.
 *
 * @param allowFrom   source addresses allowed to start calls; {@code null} = everyone
 * @param maxInFlight calls in progress at most; beyond it new INVITEs get 503
 */
public record SipSettings(List<ListenAddress> listen, List<Cidr> allowFrom, FailoverPolicy failover, int maxInFlight) {

    /** Calls in progress beyond which new INVITEs get 503 instead of slowing everyone down. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;

    public static final SipSettings DEFAULT = new SipSettings(
            List.of(ListenAddress.parse("udp:127.0.0.1:5060"), ListenAddress.parse("tcp:127.0.0.1:5060")),
            null, FailoverPolicy.DEFAULT, DEFAULT_MAX_IN_FLIGHT);

    public SipSettings {
        io.sipvane.core.model.Checks.range(maxInFlight, 1, 1_000_000, "max_in_flight");
        listen = List.copyOf(listen);
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("listen: empty (expected: at least one transport:host:port)");
        }
        allowFrom = allowFrom == null ? null : List.copyOf(allowFrom);
        failover = failover == null ? FailoverPolicy.DEFAULT : failover;
    }

    /** Whether a new call from this source passes the ACL. */
    public boolean allows(InetAddress source) {
        if (allowFrom == null) {
            return true;
        }
        for (Cidr cidr : allowFrom) {
            if (cidr.contains(source)) {
                return true;
            }
        }
        return false;
    }
}
