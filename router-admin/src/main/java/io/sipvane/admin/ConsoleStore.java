package io.sipvane.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.model.Account;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.store.ConfigStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's door into the API: the API's account check for its login, and URI writes
 * through the API's {@link Store} with the API's field readers ({@link UriFields},
 * {@link Json}), so every change is persisted and published exactly as an API write is, and a
 * refused value gets the API's very message. Method names in the write log are
 * {@code CONSOLE}.
 *
 * <p>Design note: the console lives in its own package; this class is the only public surface
 * it needs from the API's package, which keeps {@code Store}, {@code UriFields} and
 * {@code ApiException} package-private.
 */
public final class ConsoleStore {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleStore.class);
    private static final String METHOD = "CONSOLE";

    private final Store store;

    public ConsoleStore(ConfigStore store, java.time.Clock clock) {
        this.store = new Store(store, clock);
    }

    /** Why a write was refused: the HTTP status and message the API would have answered. */
    public record Refusal(int status, String message) {}

    /** The account these credentials belong to (the API's check, in constant time), or empty. */
    public Optional<Account> authenticate(String authId, String token) {
        if (authId == null || token == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Accounts.check(authId, token, store.current()));
        } catch (ApiException e) {
            return Optional.empty();
        }
    }

    public SipvaneConfig current() {
        return store.current();
    }

    /** {@code enabled} as the API's {@code "enabled": true|false}. */
    public CompletableFuture<OriginationUri> setEnabled(String accountId, UUID id, boolean enabled) {
        ObjectNode body = Json.object();
        body.put("enabled", enabled);
        return store.updateUri(METHOD, accountId, id, f -> {
            f.readConsoleFields(body);
            return f;
        });
    }

    /** {@code weight} as typed: read as the API reads a JSON body's {@code "weight"}, with its messages. */
    public CompletableFuture<OriginationUri> setWeight(String accountId, UUID id, String weight) {
        ObjectNode body = field("weight", weight);
        return write(() -> store.updateUri(METHOD, accountId, id, f -> {
            f.readConsoleFields(body);
            return f;
        }));
    }

    /** {@code priority} as typed, read as the API reads it. */
    public CompletableFuture<OriginationUri> setPriority(String accountId, UUID id, String priority) {
        ObjectNode body = field("priority", priority);
        return write(() -> store.updateUri(METHOD, accountId, id, f -> {
            f.readRoutingFields(body);
            return f;
        }));
    }

    /**
     * Swaps two priority levels in one write, as seed 003's "promote a backup": every URI at
     * {@code from} moves to {@code to} and every URI at {@code to} to {@code from}.
     */
    public CompletableFuture<List<OriginationUri>> swapPriorities(String accountId, Map<UUID, Integer> newPriorities) {
        Map<UUID, UnaryOperator<UriFields>> edits = new LinkedHashMap<>();
        newPriorities.forEach((id, priority) -> edits.put(id, f -> {
            f.priority = priority;
            return f;
        }));
        return store.updateUris(METHOD, accountId, edits);
    }

    /** A trunk that names its URIs (Plivo style): the fallback becomes the primary and the primary the fallback. */
    public CompletableFuture<Trunk> swapPrimaryAndFallback(String accountId, UUID trunkId) {
        return store.updateTrunk(METHOD, accountId, trunkId, t -> {
            if (t.fallbackUriId() == null) {
                throw ApiException.invalid("fallback_uri_uuid: trunk " + trunkId + " has no fallback to promote");
            }
            return new Trunk(t.id(), t.accountId(), t.name(), t.direction(), t.match(), t.failover(), t.health(),
                    t.fallbackUriId(), t.primaryUriId(), t.createdAt(), store.now());
        });
    }

    /** The API's answer to a failed write. */
    public static Refusal refusal(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ApiException e) {
            return new Refusal(e.status(), e.getMessage());
        }
        if (cause instanceof ConfigStore.StoreUnavailableException e) {
            return new Refusal(503, e.getMessage() + "; nothing was changed, retry later");
        }
        if (cause instanceof ConfigStore.StoreException e) {
            return new Refusal(503, e.getMessage() + "; nothing was changed");
        }
        LOG.error("console write failed", cause);
        return new Refusal(500, "internal error; nothing was changed");
    }

    /** {@code {"name": value}}, the value a JSON number when it reads as one, else the text as typed. */
    private static ObjectNode field(String name, String value) {
        ObjectNode body = Json.object();
        JsonNode parsed = null;
        String text = value == null ? "" : value.trim();
        if (!text.isEmpty() && (Character.isDigit(text.charAt(0)) || text.charAt(0) == '-')) {
            try {
                parsed = Json.MAPPER.readTree(text);
            } catch (java.io.IOException e) {
                parsed = null;
            }
        }
        body.set(name, parsed != null && parsed.isNumber() ? parsed : TextNode.valueOf(value == null ? "" : value));
        return body;
    }

    /** A write whose reading of the input throws at once still answers through the future. */
    private static <T> CompletableFuture<T> write(java.util.function.Supplier<CompletableFuture<T>> write) {
        try {
            return write.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
