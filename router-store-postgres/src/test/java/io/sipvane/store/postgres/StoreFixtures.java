package io.sipvane.store.postgres;

import io.sipvane.core.config.ConfigLoader;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.store.ConfigStore;
import io.sipvane.core.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** Configs and changes shared by the store tests. */
final class StoreFixtures {
    static final String ACCOUNT = "MAONE000000000000000";
    static final UUID TRUNK = UUID.fromString("7f0c1f5e-0000-4000-8000-000000000001");
    static final UUID FIRST_URI = UUID.fromString("aabbccdd-1234-5678-90ab-cdef12345678");

    private StoreFixtures() {}

    /** A config file naming the database; with tenant data to import when {@code withData}. */
    static SipvaneConfig config(String url, String user, boolean withData) throws Exception {
        String yaml = """
                store:
                  type: postgres
                  url: "%s"
                  user: %s
                  poll_interval_ms: 200
                """.formatted(url, user);
        if (withData) {
            yaml += """
                    accounts:
                      - auth_id: MAONE000000000000000
                        auth_token: "t"
                        operator: true
                    trunks:
                      - id: 7f0c1f5e-0000-4000-8000-000000000001
                        account_id: MAONE000000000000000
                        match: { default: true, numbers: ["+1415"] }
                        failover: { attempt_timeout_ms: 1500, on_codes: [503] }
                        health: { probing: false }
                    origination_uris:
                      - id: aabbccdd-1234-5678-90ab-cdef12345678
                        account_id: MAONE000000000000000
                        trunk_id: 7f0c1f5e-0000-4000-8000-000000000001
                        uri: "sip:127.0.0.1:5071"
                        authentication_needed: true
                        username: u
                        password: p
                    """;
        }
        return ConfigLoader.parse(yaml, "test.yaml");
    }

    static ConfigStore.Change<OriginationUri> add(SipvaneConfig config, int port) {
        OriginationUri uri = OriginationUri.of(UUID.randomUUID(), ACCOUNT, TRUNK, "sip:127.0.0.1:" + port, 1, 10);
        List<OriginationUri> uris = new ArrayList<>(config.originationUris());
        uris.add(uri);
        return new ConfigStore.Change<>(config.withOriginationUris(uris), uri);
    }

    static ConfigStore.Change<OriginationUri> setWeight(SipvaneConfig config, UUID id, int weight) {
        OriginationUri old = config.originationUri(id).orElseThrow();
        OriginationUri changed = new OriginationUri(old.id(), old.accountId(), old.trunkId(), old.name(), old.uri(), null,
                old.priority(), weight, old.enabled(), old.transport(), old.authenticationNeeded(), old.username(),
                old.password(), old.createdAt(), old.updatedAt());
        return new ConfigStore.Change<>(config.withOriginationUri(changed), changed);
    }

    /** Waits for a condition ({@link Await}), failing after {@code timeoutMs}. */
    static void await(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofMillis(timeoutMs), condition::getAsBoolean);
    }
}
