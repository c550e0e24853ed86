package io.sipvane.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.sipvane.core.model.OriginationUri;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Vobiz flavour: {@code /api/v1/Account/{auth_id}/origination-uris[/{id}]}. Objects carry the
 * Vobiz fields ({@code name} surfaces as {@code description}); PUT replaces {@code name} and
 * {@code priority} (both required) and also takes {@code weight} and {@code enabled}.
 */
final class VobizUris implements Resource {
    private final Store store;
    private final Function<UUID, String> states;

    VobizUris(Store store, Function<UUID, String> states) {
        this.store = store;
        this.states = states;
    }

    @Override
    public Set<HttpMethod> allowed(boolean item) {
        return item ? Set.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE) : Set.of(HttpMethod.GET, HttpMethod.POST);
    }

    @Override
    public CompletableFuture<ApiResponse> handle(ApiRequest request) {
        String account = request.accountId();
        if (request.id() == null) {
            if (request.method().equals(HttpMethod.GET)) {
                return CompletableFuture.completedFuture(list(request, account));
            }
            ObjectNode body = request.json();
            if (!Json.has(body, "uri")) {
                throw ApiException.invalid("uri: missing (required)");
            }
            return store.createUri(account, f -> {
                f.uri = Json.string(body, "uri");
                f.name = firstString(body, "name", "description");
                f.trunkId = Json.uuid(body, "trunk_id");
                f.readRoutingFields(body);
                return f;
            }).thenApply(u -> ApiResponse.created(object(u)));
        }
        var id = Json.parseUuid(request.id(), "id");
        if (request.method().equals(HttpMethod.GET)) {
            return CompletableFuture.completedFuture(ApiResponse.ok(object(store.uri(account, id))));
        }
        if (request.method().equals(HttpMethod.DELETE)) {
            return store.deleteUri(account, id).thenApply(v -> ApiResponse.noContent());
        }
        ObjectNode body = request.json();
        // a replace, not a patch: both fields every time
        if (!Json.has(body, "name")) {
            throw ApiException.invalid("name: missing (required; resend the current name to keep it)");
        }
        if (!Json.has(body, "priority")) {
            throw ApiException.invalid("priority: missing (required)");
        }
        String name = Json.string(body, "name");
        int priority = Json.integer(body, "priority");
        return store.updateUri(account, id, f -> {
            f.name = name;
            f.priority = priority;
            f.readConsoleFields(body);
            return f;
        }).thenApply(u -> ApiResponse.ok(object(u)));
    }

    private ApiResponse list(ApiRequest request, String account) {
        return Page.list(request.query(), store.uris(account), "api/v1/Account/" + account + "/origination-uris", this::object);
    }

    ObjectNode object(OriginationUri u) {
        ObjectNode o = Json.object();
        o.put("id", u.id().toString());
        o.put("account_id", u.accountId());
        if (u.trunkId() != null) {
            o.put("trunk_id", u.trunkId().toString());
        }
        o.put("uri", u.uri());
        o.put("priority", u.priority());
        o.put("weight", u.weight());
        o.put("enabled", u.enabled());
        o.put("transport", u.transport().token());
        o.put("description", u.name());
        o.put("created_at", Json.timestamp(u.createdAt()));
        o.put("updated_at", Json.timestamp(u.updatedAt()));
        o.put("state", states.apply(u.id()));
        return o;
    }

    private static String firstString(ObjectNode body, String... fields) {
        for (String field : fields) {
            String v = Json.string(body, field);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
