package io.sipvane.admin.console;

import io.sipvane.admin.ConsoleStore;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's actions on one URI, each one write through the API's store path
 * ({@link ConsoleStore}), so it is persisted and routed at once and refused with the API's
 * message: enable, disable, drain (weight 0), restore, set the weight or the priority, and
 * promote (seed 003: the backup takes the best priority and the URIs there take the
 * backup's).
 *
 * <p>Restore gives back the weight the URI had when it was drained from this console (kept
 * in memory while the router runs), else the default weight.
 */
final class ConsoleActions {
    static final List<String> ACTIONS = List.of("enable", "disable", "drain", "restore", "weight", "priority", "promote");

    private final ConsoleStore store;
    /** Weight before a drain, by URI; a ConcurrentHashMap because writes complete on the store's thread. */
    private final Map<UUID, Integer> drainedFrom = new ConcurrentHashMap<>();

    ConsoleActions(ConsoleStore store) {
        this.store = store;
    }

    /** Runs {@code action} on the account's URI {@code id}; completes with what to show next to the control. */
    CompletableFuture<ActionResult> run(String accountId, UUID id, String action, Form form) {
        CompletableFuture<String> done;
        try {
            done = switch (action) {
                case "enable" -> store.setEnabled(accountId, id, true).thenApply(u -> "Enabled.");
                case "disable" -> store.setEnabled(accountId, id, false).thenApply(u -> "Disabled: takes no new calls.");
                case "drain" -> drain(accountId, id);
                case "restore" -> restore(accountId, id);
                case "weight" -> store.setWeight(accountId, id, form.get("value")).thenApply(u -> "Weight set to " + u.weight() + ".");
                case "priority" -> store.setPriority(accountId, id, form.get("value"))
                        .thenApply(u -> "Priority set to " + u.priority() + ".");
                case "promote" -> promote(accountId, id, form.get("trunk"));
                default -> throw new IllegalArgumentException("unknown action " + action);
            };
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.handle((message, failure) -> {
            if (failure == null) {
                return ActionResult.ok(message);
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : failure;
            return ActionResult.refused(cause instanceof Refused r ? r.getMessage() : ConsoleStore.refusal(cause).message());
        });
    }

    private CompletableFuture<String> drain(String accountId, UUID id) {
        OriginationUri before = own(accountId, id);
        int weight = before == null ? 0 : before.weight();
        return store.setWeight(accountId, id, "0").thenApply(u -> {
            if (weight > 0) {
                drainedFrom.put(id, weight);
            }
            return "Drained: weight 0, no new calls while its priority has another weight.";
        });
    }

    private CompletableFuture<String> restore(String accountId, UUID id) {
        Integer weight = drainedFrom.getOrDefault(id, OriginationUri.DEFAULT_WEIGHT);
        return store.setWeight(accountId, id, weight.toString()).thenApply(u -> {
            drainedFrom.remove(id);
            return "Restored: weight " + u.weight() + ".";
        });
    }

    /**
     * The URI takes the trunk's best priority and the URIs at that priority take the URI's
     * (one write); for a trunk naming a primary and a fallback, the two swap roles. The levels
     * are read from the config current when the action is asked for.
     */
    private CompletableFuture<String> promote(String accountId, UUID id, String trunkText) {
        SipvaneConfig config = store.current();
        UUID trunkId;
        try {
            trunkId = UUID.fromString(trunkText == null ? "" : trunkText);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new Refused("trunk: \"" + trunkText + "\" (expected: a UUID)"));
        }
        Trunk trunk = config.trunk(trunkId).filter(t -> t.accountId().equals(accountId)).orElse(null);
        TrunkView view = trunk == null ? null : TrunkView.of(config, accountId, ConsoleData.basic(u -> ""))
                .stream().filter(v -> v.trunk() != null && v.trunk().id().equals(trunkId)).findFirst().orElse(null);
        if (view == null) {
            return CompletableFuture.failedFuture(new Refused("trunk " + trunkId + " not found"));
        }
        if (view.namesUris()) {
            return store.swapPrimaryAndFallback(accountId, trunkId).thenApply(t -> "Promoted: now the primary.");
        }
        int best = view.bestPriority();
        TrunkView.Row row = view.groups().stream().flatMap(g -> g.rows().stream()).filter(r -> r.uri().id().equals(id))
                .findFirst().orElse(null);
        if (row == null) {
            return CompletableFuture.failedFuture(new Refused("origination URI " + id + " not found in trunk " + trunkId));
        }
        if (row.priority() <= best) {
            return CompletableFuture.completedFuture("Already at the best priority (" + best + ").");
        }
        int from = row.priority();
        Map<UUID, Integer> priorities = new LinkedHashMap<>();
        priorities.put(id, best);
        view.groups().stream().filter(g -> g.priority() == best).flatMap(g -> g.rows().stream())
                .forEach(r -> priorities.put(r.uri().id(), from));
        return store.swapPriorities(accountId, priorities)
                .thenApply(u -> "Promoted to priority " + best + "; priority " + best + " moved to " + from + ".");
    }

    /** A refusal decided here, before the store (the store's own come as the API's). */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private OriginationUri own(String accountId, UUID id) {
        return store.current().originationUri(id).filter(u -> u.accountId().equals(accountId)).orElse(null);
    }
}
