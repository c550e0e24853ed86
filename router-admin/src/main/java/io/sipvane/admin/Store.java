package io.sipvane.admin;

import io.sipvane.core.config.ConfigReferenceException;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.store.ConfigStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The API's view of the {@link ConfigStore}: reads scoped to one account (another account's
 * objects do not exist for it) and durable writes of URIs and trunks. Every write runs on
 * the store's writer thread against the config current at that moment, so a check and the
 * write it guards cannot interleave with another write.
 */
final class Store {
    private final ConfigStore store;
    /** Stamps created_at and updated_at; injected so that tests control time. */
    private final java.time.Clock clock;

    Store(ConfigStore store, java.time.Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    SipvaneConfig current() {
        return store.current();
    }

    /** Now, to the second, as the API's timestamps carry it. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    List<OriginationUri> uris(String accountId) {
        return store.current().originationUris().stream().filter(u -> u.accountId().equals(accountId)).toList();
    }

    OriginationUri uri(String accountId, UUID id) {
        return store.current().originationUri(id).filter(u -> u.accountId().equals(accountId))
                .orElseThrow(() -> ApiException.notFound("origination URI " + id));
    }

    List<Trunk> trunks(String accountId) {
        return store.current().trunks().stream().filter(t -> t.accountId().equals(accountId)).toList();
    }

    Trunk trunk(String accountId, UUID id) {
        return store.current().trunk(id).filter(t -> t.accountId().equals(accountId))
                .orElseThrow(() -> ApiException.notFound("trunk " + id));
    }

    CompletableFuture<OriginationUri> createUri(String method, String accountId, UnaryOperator<UriFields> fill) {
        return write(config -> {
            UriFields f = new UriFields();
            f.id = newId(config);
            f.accountId = accountId;
            f.createdAt = now();
            f.updatedAt = f.createdAt;
            OriginationUri created = fill.apply(f).build();
            return new ConfigStore.Change<>(validated(() -> config.withOriginationUri(created)), created);
        }).thenApply(created -> {
            WriteLog.write(accountId, method + " (create)", "origination_uri", created.id(), null, created);
            return created;
        });
    }

    CompletableFuture<OriginationUri> updateUri(String method, String accountId, UUID id, UnaryOperator<UriFields> edit) {
        java.util.concurrent.atomic.AtomicReference<OriginationUri> before = new java.util.concurrent.atomic.AtomicReference<>();
        return write(config -> {
            OriginationUri old = config.originationUri(id).filter(u -> u.accountId().equals(accountId))
                    .orElseThrow(() -> ApiException.notFound("origination URI " + id));
            UriFields f = edit.apply(UriFields.of(old));
            f.updatedAt = now();
            OriginationUri updated = f.build();
            before.set(old);
            return new ConfigStore.Change<>(validated(() -> config.withOriginationUri(updated)), updated);
        }).thenApply(updated -> {
            WriteLog.write(accountId, method + " (update)", "origination_uri", id, before.get(), updated);
            return updated;
        });
    }

    /**
     * Several URIs of one account changed in one write (the console's promotion swaps two
     * priority levels): all or none, each validated as {@link #updateUri} does.
     */
    CompletableFuture<List<OriginationUri>> updateUris(String method, String accountId,
                                                        java.util.Map<UUID, UnaryOperator<UriFields>> edits) {
        java.util.Map<UUID, OriginationUri> before = new java.util.concurrent.ConcurrentHashMap<>();
        return write(config -> {
            java.util.Map<UUID, OriginationUri> updated = new java.util.LinkedHashMap<>();
            for (var edit : edits.entrySet()) {
                OriginationUri old = config.originationUri(edit.getKey()).filter(u -> u.accountId().equals(accountId))
                        .orElseThrow(() -> ApiException.notFound("origination URI " + edit.getKey()));
                UriFields f = edit.getValue().apply(UriFields.of(old));
                f.updatedAt = now();
                before.put(old.id(), old);
                updated.put(old.id(), f.build());
            }
            return new ConfigStore.Change<>(validated(() -> {
                SipvaneConfig next = config;
                for (OriginationUri u : updated.values()) {
                    next = next.withOriginationUri(u);
                }
                return next;
            }), List.copyOf(updated.values()));
        }).thenApply(updated -> {
            for (OriginationUri u : updated) {
                WriteLog.write(accountId, method + " (update)", "origination_uri", u.id(), before.get(u.id()), u);
            }
            return updated;
        });
    }

    CompletableFuture<Void> deleteUri(String method, String accountId, UUID id) {
        return write(config -> {
            config.originationUri(id).filter(u -> u.accountId().equals(accountId))
                    .orElseThrow(() -> ApiException.notFound("origination URI " + id));
            for (Trunk t : config.trunks()) {
                if (t.uses(id)) {
                    String role = id.equals(t.primaryUriId()) ? "primary" : "fallback";
                    throw new ApiException(409, "origination URI " + id + " is the " + role + " URI of trunk " + t.id()
                            + "; change or delete the trunk first");
                }
            }
            return new ConfigStore.Change<Void>(validated(() -> config.withoutOriginationUri(id)), null);
        }).thenApply(done -> {
            WriteLog.write(accountId, method + " (delete)", "origination_uri", id, null, null);
            return done;
        });
    }

    CompletableFuture<Trunk> createTrunk(String method, String accountId, Function<UUID, Trunk> build) {
        return write(config -> {
            Trunk created = build.apply(newId(config));
            if (!created.accountId().equals(accountId)) {
                throw new IllegalStateException("trunk built for another account");
            }
            Ownership.check(config, created, null);
            List<Trunk> trunks = new ArrayList<>(config.trunks());
            trunks.add(created);
            return new ConfigStore.Change<>(validated(() -> config.withTrunks(trunks)), created);
        }).thenApply(created -> {
            WriteLog.write(accountId, method + " (create)", "trunk", created.id(), null, created);
            return created;
        });
    }

    CompletableFuture<Trunk> updateTrunk(String method, String accountId, UUID id, UnaryOperator<Trunk> edit) {
        java.util.concurrent.atomic.AtomicReference<Trunk> before = new java.util.concurrent.atomic.AtomicReference<>();
        return write(config -> {
            Trunk old = config.trunk(id).filter(t -> t.accountId().equals(accountId))
                    .orElseThrow(() -> ApiException.notFound("trunk " + id));
            Trunk updated = edit.apply(old);
            Ownership.check(config, updated, old);
            before.set(old);
            List<Trunk> trunks = config.trunks().stream().map(t -> t.id().equals(id) ? updated : t).toList();
            return new ConfigStore.Change<>(validated(() -> config.withTrunks(trunks)), updated);
        }).thenApply(updated -> {
            WriteLog.write(accountId, method + " (update)", "trunk", id, before.get(), updated);
            return updated;
        });
    }

    CompletableFuture<Void> deleteTrunk(String method, String accountId, UUID id) {
        return write(config -> {
            config.trunk(id).filter(t -> t.accountId().equals(accountId)).orElseThrow(() -> ApiException.notFound("trunk " + id));
            long owned = config.originationUris().stream().filter(u -> id.equals(u.trunkId())).count();
            if (owned > 0) {
                throw new ApiException(409, "trunk " + id + " still owns " + owned
                        + " origination URI(s); delete them or move them to another trunk first");
            }
            List<Trunk> trunks = config.trunks().stream().filter(t -> !t.id().equals(id)).toList();
            return new ConfigStore.Change<Void>(validated(() -> config.withTrunks(trunks)), null);
        }).thenApply(done -> {
            WriteLog.write(accountId, method + " (delete)", "trunk", id, null, null);
            return done;
        });
    }

    private <R> CompletableFuture<R> write(Function<SipvaneConfig, ConfigStore.Change<R>> change) {
        return store.update(change);
    }

    /** Cross-object checks of the new config, as 422 naming the field. */
    private static SipvaneConfig validated(java.util.function.Supplier<SipvaneConfig> build) {
        try {
            return build.get();
        } catch (ConfigReferenceException e) {
            throw ApiException.invalid(e.fieldMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
    }

    private static UUID newId(SipvaneConfig config) {
        UUID id = UUID.randomUUID();
        while (config.usesId(id)) {
            id = UUID.randomUUID();
        }
        return id;
    }
}
