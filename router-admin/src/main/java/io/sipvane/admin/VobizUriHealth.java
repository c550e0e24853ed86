package io.sipvane.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.sipvane.core.model.OriginationUri;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code GET /api/v1/Account/{auth_id}/origination-uris/{id}/health}: the routing state of one
 * URI ({@code up}, {@code down}, {@code probing}) and the trunk it belongs to, kept off the Vobiz
 * object itself so that strict clients parse that object unchanged.
 */
final class VobizUriHealth implements Resource {
    private final Store store;
    private final Function<UUID, String> states;

    VobizUriHealth(Store store, Function<UUID, String> states) {
        this.store = store;
        this.states = states;
    }

    @Override
    public Set<HttpMethod> allowed(boolean item) {
        return Set.of(HttpMethod.GET);
    }

    @Override
    public CompletableFuture<ApiResponse> handle(ApiRequest request) {
        OriginationUri u = store.uri(request.accountId(), Json.parseUuid(request.id(), "id"));
        ObjectNode o = Json.object();
        o.put("id", u.id().toString());
        o.put("enabled", u.enabled());
        o.put("state", states.apply(u.id()));
        o.put("trunk_id", u.trunkId() == null ? null : u.trunkId().toString());
        return CompletableFuture.completedFuture(ApiResponse.ok(o));
    }
}
