package io.sipvane.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The server settings a running router binds or builds once at start and cannot change
 * while it runs: sockets (SIP and admin listeners), the health state machines' thresholds and
 * the DNS cache's lifetimes, the key that signs Record-Route entries, SIP capture, and what TLS
 * listeners ask of their peers (client certificates, protocol floor). Everything else in the file is hot: accounts, trunks, URIs,
 * failover policy, ACL, in-flight cap, probing intervals and the shutdown grace are read from
 * the current snapshot by every call, probe or stop.
 *
 * <p>A reload or API write that changes one of these still publishes the new routing data,
 * but the running values stay until a restart; {@link #changedKeys} names what differs.
 */
public record RestartSettings(List<ListenAddress> sipListen, String routeSecretEnv, AdminSettings admin, int downAfter,
                              int upAfter, int quarantineAfter, int quarantineMs, DnsSettings dns, CaptureSettings capture,
                              TlsSettings.ClientAuth tlsClientAuth, String tlsMinVersion) {

    public RestartSettings {
        sipListen = List.copyOf(sipListen);
    }

    /** The restart-only part of {@code config}. */
    public static RestartSettings of(SipvaneConfig config) {
        HealthSettings h = config.health();
        return new RestartSettings(config.sip().listen(), config.sip().routeSecretEnv(), config.admin(), h.downAfter(),
                h.upAfter(), h.quarantineAfter(), h.quarantineMs(), config.dns(), config.capture(),
                config.tls().clientAuth(), config.tls().minVersion());
    }

    /** The YAML keys whose value in {@code next} differs from this one, in file order. */
    public List<String> changedKeys(RestartSettings next) {
        List<String> keys = new ArrayList<>();
        if (!sipListen.equals(next.sipListen)) {
            keys.add("sip.listen");
        }
        if (!java.util.Objects.equals(routeSecretEnv, next.routeSecretEnv)) {
            keys.add("sip.route_secret_env");
        }
        if (!admin.equals(next.admin)) {
            keys.add("admin.listen");
        }
        if (downAfter != next.downAfter) {
            keys.add("health.down_after");
        }
        if (upAfter != next.upAfter) {
            keys.add("health.up_after");
        }
        if (quarantineAfter != next.quarantineAfter) {
            keys.add("health.quarantine_after");
        }
        if (quarantineMs != next.quarantineMs) {
            keys.add("health.quarantine_ms");
        }
        if (dns.ttlMs() != next.dns.ttlMs()) {
            keys.add("dns.ttl_ms");
        }
        if (dns.negativeTtlMs() != next.dns.negativeTtlMs()) {
            keys.add("dns.negative_ttl_ms");
        }
        if (!java.util.Objects.equals(capture.hep(), next.capture.hep())) {
            keys.add("capture.hep");
        }
        if (capture.agentId() != next.capture.agentId()) {
            keys.add("capture.agent_id");
        }
        if (tlsClientAuth != next.tlsClientAuth) {
            keys.add("tls.client_auth");
        }
        if (!tlsMinVersion.equals(next.tlsMinVersion)) {
            keys.add("tls.min_version");
        }
        return keys;
    }
}
