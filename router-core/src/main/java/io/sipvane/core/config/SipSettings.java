package io.sipvane.core.config;

import io.sipvane.core.model.FailoverPolicy;
import java.net.InetAddress;
import java.util.List;

/**
 * The {@code sip:} section.
 *
 * @param allowFrom      source addresses allowed to send requests that belong to no call we
 *                       routed (new calls, out-of-dialog requests); {@code null} = everyone
 * @param maxInFlight    calls in progress at most; beyond it new INVITEs get 503
 * @param preloadedRoute what an initial request whose Route set names another hop gets
 * @param routeSecretEnv environment variable holding the key that signs our Record-Route
 *                       entries (the same on every router of a cluster); {@code null}: a
 *                       random key made at start, so only this process accepts its dialogs
 */
public record SipSettings(List<ListenAddress> listen, List<Cidr> allowFrom, FailoverPolicy failover, int maxInFlight,
                          PreloadedRoute preloadedRoute, String routeSecretEnv) {

    /** {@code sip.preloaded_route}. */
    public enum PreloadedRoute {
        /** 403 "Preload Route denied", as Kamailio's default config does. */
        REJECT,
        /** Route entries that are not ours are removed and the call is routed as usual. */
        STRIP;

        public String token() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static PreloadedRoute parse(String text) {
            for (PreloadedRoute p : values()) {
                if (p.token().equals(text)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("\"" + text + "\" (expected: reject or strip)");
        }
    }

    /** Calls in progress beyond which new INVITEs get 503 instead of slowing everyone down. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;

    public static final SipSettings DEFAULT = new SipSettings(
            List.of(ListenAddress.parse("udp:127.0.0.1:5060"), ListenAddress.parse("tcp:127.0.0.1:5060")),
            null, FailoverPolicy.DEFAULT, DEFAULT_MAX_IN_FLIGHT, PreloadedRoute.REJECT, null);

    public SipSettings {
        io.sipvane.core.model.Checks.range(maxInFlight, 1, 1_000_000, "max_in_flight");
        listen = List.copyOf(listen);
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("listen: empty (expected: at least one transport:host:port)");
        }
        allowFrom = allowFrom == null ? null : List.copyOf(allowFrom);
        failover = failover == null ? FailoverPolicy.DEFAULT : failover;
        preloadedRoute = preloadedRoute == null ? PreloadedRoute.REJECT : preloadedRoute;
        if (routeSecretEnv != null && routeSecretEnv.isBlank()) {
            throw new IllegalArgumentException("route_secret_env: empty (expected: an environment variable name)");
        }
    }

    /** The defaults for what a config does not say about preloaded routes and the route key. */
    public SipSettings(List<ListenAddress> listen, List<Cidr> allowFrom, FailoverPolicy failover, int maxInFlight) {
        this(listen, allowFrom, failover, maxInFlight, PreloadedRoute.REJECT, null);
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
