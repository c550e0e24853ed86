package io.sipvane.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.sipvane.core.model.OriginationUri;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Plivo Zentrunk flavour: {@code /v1/Account/{auth_id}/Zentrunk/URI/[{uri_uuid}/]}. Objects
 * carry uri_uuid, name, uri, authentication_needed and username (never the password); update
 * is a partial POST; create and update answer {@code {api_id, message, uri_uuid}}.
 */
final class PlivoUris implements Resource {
    private final Store store;
    private final Function<UUID, String> states;

    PlivoUris(Store store, Function<UUID, String> states) {
        this.store = store;
        this.states = states;
    }

    @Override
    public Set<HttpMethod> allowed(boolean item) {
        return item ? Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE) : Set.of(HttpMethod.GET, HttpMethod.POST);
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
            return store.createUri(request.method().name(), account, f -> {
                f.uri = Json.string(body, "uri");
                f.name = Json.string(body, "name");
                f.trunkId = Json.uuid(body, "trunk_id");
                readAuthentication(f, body);
                f.readRoutingFields(body);
                return f;
            }).thenApply(u -> ApiResponse.created(message("Origination URI created successfully.", u)));
        }
        var id = Json.parseUuid(request.id(), "uri_uuid");
        if (request.method().equals(HttpMethod.GET)) {
            return CompletableFuture.completedFuture(ApiResponse.ok(object(store.uri(account, id))));
        }
        if (request.method().equals(HttpMethod.DELETE)) {
            return store.deleteUri(request.method().name(), account, id).thenApply(v -> ApiResponse.noContent());
        }
        ObjectNode body = request.json();
        return store.updateUri(request.method().name(), account, id, f -> {
            String name = Json.string(body, "name");
            if (name != null) {
                f.name = name;
            }
            f.readUri(body);
            readAuthentication(f, body);
            f.readRoutingFields(body);
            return f;
        }).thenApply(u -> ApiResponse.ok(message("origination uri updated successfully.", u)));
    }

    /** authentication_needed, username, password; turning authentication off forgets the credentials. */
    private static void readAuthentication(UriFields f, ObjectNode body) {
        Boolean auth = Json.bool(body, "authentication_needed");
        if (auth != null) {
            f.authenticationNeeded = auth;
        }
        String username = Json.string(body, "username");
        if (username != null) {
            f.username = username;
        }
        String password = Json.string(body, "password");
        if (password != null) {
            f.password = password;
        }
        if (!f.authenticationNeeded && Boolean.FALSE.equals(auth)) {
            f.username = null;
            f.password = null;
        }
    }

    private ApiResponse list(ApiRequest request, String account) {
        return Page.list(request.query(), store.uris(account), "v1/Account/" + account + "/Zentrunk/URI/", this::object);
    }

    ObjectNode object(OriginationUri u) {
        ObjectNode o = Json.object();
        o.put("uri_uuid", u.id().toString());
        o.put("name", u.name());
        o.put("uri", u.uri());
        o.put("authentication_needed", u.authenticationNeeded());
        o.put("username", u.username());
        o.put("sip_user", u.target().user());
        o.put("trunk_id", u.trunkId() == null ? null : u.trunkId().toString());
        o.put("state", states.apply(u.id()));
        return o;
    }

    private static ObjectNode message(String message, OriginationUri u) {
        ObjectNode o = Json.object();
        o.put("message", message);
        o.put("uri_uuid", u.id().toString());
        return o;
    }
}
