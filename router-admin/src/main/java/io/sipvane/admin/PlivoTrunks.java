package io.sipvane.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.model.TrunkMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Plivo Zentrunk trunks: {@code /v1/Account/{auth_id}/Zentrunk/Trunk/[{trunk_id}/]}. A trunk
 * that names a primary and a fallback URI routes them at priority 1 and 2. Which calls a
 * trunk takes is our extension, {@code match: {numbers, domains, default}}.
 */
final class PlivoTrunks implements Resource {
    private final Store store;

    PlivoTrunks(Store store) {
        this.store = store;
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
            refuseUnsupported(body, null);
            return store.createTrunk(request.method().name(), account, id -> {
                var now = store.now();
                return build(id, account, Json.string(body, "name"), Json.string(body, "trunk_direction"),
                        match(body, TrunkMatch.NONE), null, Json.uuid(body, "primary_uri_uuid"),
                        Json.uuid(body, "fallback_uri_uuid"), now, now);
            }).thenApply(t -> ApiResponse.created(message("Trunk created successfully.", t)));
        }
        UUID id = Json.parseUuid(request.id(), "trunk_id");
        if (request.method().equals(HttpMethod.GET)) {
            return CompletableFuture.completedFuture(ApiResponse.ok(object(store.trunk(account, id))));
        }
        if (request.method().equals(HttpMethod.DELETE)) {
            return store.deleteTrunk(request.method().name(), account, id).thenApply(v -> ApiResponse.noContent());
        }
        ObjectNode body = request.json();
        refuseUnsupported(body, store.trunk(account, id));
        return store.updateTrunk(request.method().name(), account, id, old -> build(id, account,
                body.has("name") ? Json.string(body, "name") : old.name(),
                body.has("trunk_direction") ? Json.string(body, "trunk_direction") : old.direction(),
                match(body, old.match()), old,
                body.has("primary_uri_uuid") ? Json.uuid(body, "primary_uri_uuid") : old.primaryUriId(),
                body.has("fallback_uri_uuid") ? Json.uuid(body, "fallback_uri_uuid") : old.fallbackUriId(),
                old.createdAt(), store.now()))
                .thenApply(t -> ApiResponse.ok(message("Trunk updated successfully.", t)));
    }

    /**
     * The Zentrunk trunk fields plivo-cli sends that this router cannot honour are refused
     * rather than dropped: {@code trunk_status: disabled}, {@code secure: true}, an IP ACL or a
     * credential list, and a {@code trunk_domain} other than the one the trunk shows. The values
     * that describe what the router does anyway ({@code enabled}, {@code false}, empty) pass.
     */
    private static void refuseUnsupported(ObjectNode body, Trunk current) {
        String status = Json.string(body, "trunk_status");
        if (status != null && !status.equals("enabled")) {
            throw ApiException.invalid("trunk_status: \"" + status + "\" (expected: enabled; a trunk cannot be disabled here:"
                    + " disable its origination URIs with enabled: false, or delete the trunk)");
        }
        Boolean secure = Json.bool(body, "secure");
        if (Boolean.TRUE.equals(secure)) {
            throw ApiException.invalid("secure: true (expected: false; TLS and SRTP toward the caller are not supported)");
        }
        for (String field : List.of("ipacl_uuid", "credential_uuid")) {
            String v = Json.string(body, field);
            if (v != null && !v.isEmpty()) {
                throw ApiException.invalid(field + ": \"" + v + "\" (expected: absent; trunk IP ACLs and credential lists are"
                        + " not supported: the source ACL is the operator's sip.allow_from)");
            }
        }
        String domain = Json.string(body, "trunk_domain");
        String shown = current == null ? null : domain(current);
        if (domain != null && !domain.equals(shown)) {
            throw ApiException.invalid("trunk_domain: \"" + domain + "\" (read-only; claim Request-URI hosts with match.domains)");
        }
    }

    /** The trunk's domain as Zentrunk shows it: the first Request-URI host it matches, if any. */
    private static String domain(Trunk t) {
        return t.match().domains().isEmpty() ? null : t.match().domains().get(0);
    }

    private static Trunk build(UUID id, String account, String name, String direction, TrunkMatch match, Trunk old,
            UUID primary, UUID fallback, java.time.Instant created, java.time.Instant updated) {
        try {
            return new Trunk(id, account, name, direction, match, old == null ? null : old.failover(),
                    old == null ? null : old.health(), primary, fallback, created, updated);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
    }

    private static TrunkMatch match(ObjectNode body, TrunkMatch fallback) {
        JsonNode m = body.get("match");
        if (m == null || m.isNull()) {
            return fallback;
        }
        if (!m.isObject()) {
            throw ApiException.invalid("match: " + m + " (expected: an object with numbers, domains, default)");
        }
        List<String> numbers = m.has("numbers") ? strings(m, "numbers") : fallback.numbers();
        List<String> domains = m.has("domains") ? strings(m, "domains") : fallback.domains();
        Boolean isDefault = Json.bool(m, "default");
        try {
            return new TrunkMatch(numbers, domains, isDefault != null ? isDefault : fallback.isDefault());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("match." + e.getMessage());
        }
    }

    private static List<String> strings(JsonNode m, String field) {
        JsonNode array = m.get(field);
        if (!array.isArray()) {
            throw ApiException.invalid("match." + field + ": " + array + " (expected: a list of strings)");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isTextual()) {
                throw ApiException.invalid("match." + field + "[" + i + "]: " + array.get(i) + " (expected: a string)");
            }
            out.add(array.get(i).textValue());
        }
        return out;
    }

    /** The list; {@code ?trunk_direction=} filters (every trunk here is inbound). */
    private ApiResponse list(ApiRequest request, String account) {
        List<Trunk> trunks = store.trunks(account);
        List<String> direction = request.query().get("trunk_direction");
        if (direction != null && !direction.isEmpty()) {
            String d = direction.get(direction.size() - 1);
            if (!d.equals("inbound") && !d.equals("outbound")) {
                throw ApiException.badRequest("trunk_direction: \"" + d + "\" (expected: inbound or outbound)");
            }
            trunks = trunks.stream().filter(t -> t.direction().equals(d)).toList();
        }
        String path = "v1/Account/" + account + "/Zentrunk/Trunk/";
        return Page.list(request.query(), trunks, direction == null ? path : path + "?trunk_direction=" + direction.get(direction.size() - 1),
                PlivoTrunks::object);
    }

    static ObjectNode object(Trunk t) {
        ObjectNode o = Json.object();
        o.put("trunk_id", t.id().toString());
        o.put("name", t.name());
        o.put("trunk_direction", t.direction());
        o.put("trunk_status", "enabled");
        o.put("trunk_domain", domain(t));
        o.put("secure", false);
        o.putNull("ipacl_uuid");
        o.putNull("credential_uuid");
        o.put("primary_uri_uuid", t.primaryUriId() == null ? null : t.primaryUriId().toString());
        o.put("fallback_uri_uuid", t.fallbackUriId() == null ? null : t.fallbackUriId().toString());
        ObjectNode match = o.putObject("match");
        ArrayNode numbers = match.putArray("numbers");
        t.match().numbers().forEach(numbers::add);
        ArrayNode domains = match.putArray("domains");
        t.match().domains().forEach(domains::add);
        match.put("default", t.match().isDefault());
        o.put("created_at", Json.timestamp(t.createdAt()));
        o.put("updated_at", Json.timestamp(t.updatedAt()));
        return o;
    }

    private static ObjectNode message(String message, Trunk t) {
        ObjectNode o = Json.object();
        o.put("message", message);
        o.put("trunk_id", t.id().toString());
        return o;
    }
}
