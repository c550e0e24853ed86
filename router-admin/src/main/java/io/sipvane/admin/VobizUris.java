package io.sipvane.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.sipvane.core.model.OriginationUri;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Vobiz flavour: {@code /api/v1/Account/{auth_id}/origination-uris[/{id}]}, listed also at
 * {@code .../trunks/origination-uris} where the Vobiz SDKs list. Objects carry exactly the ten
 * fields of the Vobiz object ({@code name} surfaces as {@code description}) and no
 * {@code api_id}: the official Python SDK's models forbid any other key. Create takes the
 * destination as {@code uri} or {@code sip_uri}; PUT changes only the fields it carries.
 */
final class VobizUris implements Resource {
    /** The keys of a Vobiz origination URI object, in the order of the seed document. */
    static final java.util.List<String> FIELDS = java.util.List.of("id", "account_id", "uri", "priority", "weight",
            "enabled", "transport", "description", "created_at", "updated_at");

    private final Store store;

    VobizUris(Store store) {
        this.store = store;
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
                return CompletableFuture.completedFuture(list(request));
            }
            ObjectNode body = request.json();
            String uri = destination(body);
            if (uri == null) {
                throw ApiException.invalid("uri: missing (required; the official SDKs send it as sip_uri)");
            }
            String name = label(body);
            return store.createUri(request.method().name(), account, f -> {
                f.uri = uri;
                f.name = name;
                f.trunkId = Json.uuid(body, "trunk_id");
                f.readRoutingFields(body);
                return f;
            }).thenApply(u -> ApiResponse.exact(201, object(u)));
        }
        UUID id = Json.parseUuid(request.id(), "id");
        if (request.method().equals(HttpMethod.GET)) {
            return CompletableFuture.completedFuture(ApiResponse.exact(200, object(store.uri(account, id))));
        }
        if (request.method().equals(HttpMethod.DELETE)) {
            return store.deleteUri(request.method().name(), account, id).thenApply(v -> ApiResponse.noContent());
        }
        ObjectNode body = request.json();
        // read-only keys a client that GETs, edits and PUTs back resends: they must still agree
        readOnly(body, "id", id.toString());
        readOnly(body, "account_id", account);
        String name = label(body);
        String uri = destination(body);
        return store.updateUri(request.method().name(), account, id, f -> {
            if (name != null) {
                f.name = name;
            }
            if (uri != null && !uri.equals(f.uri)) {
                f.uri = uri;
                f.transport = null; // derived again from the new URI unless the body names one
            }
            f.readRoutingFields(body);
            return f;
        }).thenApply(u -> ApiResponse.exact(200, object(u)));
    }

    /** The list, with the Vobiz SDKs' {@code meta: {limit, offset, total}}. */
    ApiResponse list(ApiRequest request) {
        return Page.vobizList(request.query(), store.uris(request.accountId()), VobizUris::object);
    }

    /** {@code uri} or {@code sip_uri} (the official Python, Node and Java SDKs' name); both must agree. */
    private static String destination(ObjectNode body) {
        return oneOf(body, "uri", "sip_uri");
    }

    /** {@code name} or {@code description}: the same field, written or read back. */
    private static String label(ObjectNode body) {
        return oneOf(body, "name", "description");
    }

    private static String oneOf(ObjectNode body, String field, String alias) {
        String a = Json.string(body, field);
        String b = Json.string(body, alias);
        if (a != null && b != null && !a.equals(b)) {
            throw ApiException.invalid(alias + ": \"" + b + "\" differs from " + field + " \"" + a
                    + "\" (they are the same field; send one)");
        }
        return a != null ? a : b;
    }

    private static void readOnly(ObjectNode body, String field, String actual) {
        String sent = Json.string(body, field);
        if (sent != null && !sent.equals(actual)) {
            throw ApiException.invalid(field + ": \"" + sent + "\" (read-only; expected: \"" + actual + "\" or absent)");
        }
    }

    /** Exactly the ten fields of the Vobiz object. */
    static ObjectNode object(OriginationUri u) {
        ObjectNode o = Json.object();
        o.put("id", u.id().toString());
        o.put("account_id", u.accountId());
        o.put("uri", u.uri());
        o.put("priority", u.priority());
        o.put("weight", u.weight());
        o.put("enabled", u.enabled());
        o.put("transport", u.transport().token());
        o.put("description", u.name());
        o.put("created_at", Json.timestamp(u.createdAt()));
        o.put("updated_at", Json.timestamp(u.updatedAt()));
        return o;
    }
}
