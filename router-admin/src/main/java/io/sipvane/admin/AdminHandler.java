package io.sipvane.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sipvane.core.model.Account;
import io.sipvane.core.store.ConfigStore;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a request to its resource, authenticates it and writes the answer. Runs on the
 * event loop and never blocks: reads come from the in-memory config, writes complete on the
 * store's writer thread and the answer is written from there (Netty hands it to the loop).
 * No exception escapes: API errors become their status, anything else a logged 500.
 */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    /** The OpenAPI 3.1 document of both flavours, served at {@code /openapi.json}. */
    static final ObjectNode OPENAPI = loadOpenApi();

    private final ConfigStore configStore;
    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier ready;
    private final VobizUris vobizUris;
    private final Resource vobizUriList;
    private final Resource vobizUriHealth;
    private final Resource plivoUris;
    private final Resource plivoTrunks;

    /** The bearer token {@code /metrics} requires, or {@code null}: open. */
    private final byte[] metricsToken;

    AdminHandler(ConfigStore configStore, PrometheusMeterRegistry registry, BooleanSupplier ready,
                 java.util.function.Function<UUID, String> states, String metricsToken, java.time.Clock clock) {
        this.configStore = configStore;
        this.metricsToken = metricsToken == null ? null : metricsToken.getBytes(StandardCharsets.UTF_8);
        this.registry = registry;
        this.ready = ready;
        Store store = new Store(configStore, clock);
        this.vobizUris = new VobizUris(store);
        this.vobizUriList = new ListOnly(vobizUris);
        this.vobizUriHealth = new VobizUriHealth(store, states);
        this.plivoUris = new PlivoUris(store, states);
        this.plivoTrunks = new PlivoTrunks(store);
    }

    private static ObjectNode loadOpenApi() {
        try (var in = AdminHandler.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json missing from the jar");
            }
            return (ObjectNode) Json.MAPPER.readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read(); // reads are not automatic: one request at a time, see AdminServer
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            send(ctx, false, error(400, "malformed HTTP request"));
            return;
        }
        CompletableFuture<ApiResponse> answer;
        try {
            answer = dispatch(request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, failure) -> send(ctx, keepAlive, failure == null ? response : failed(failure, request)));
    }

    private CompletableFuture<ApiResponse> dispatch(FullHttpRequest request) {
        QueryStringDecoder decoder = new QueryStringDecoder(request.uri());
        List<String> path = Arrays.stream(decoder.path().split("/")).filter(s -> !s.isEmpty()).toList();
        HttpMethod method = request.method();
        if (path.size() == 1 && path.get(0).equals("openapi.json")) {
            requireMethod(method, Set.of(HttpMethod.GET));
            return CompletableFuture.completedFuture(ApiResponse.exact(200, OPENAPI.deepCopy()));
        }
        if (path.size() == 1 && Set.of("healthz", "readyz", "metrics").contains(path.get(0))) {
            requireMethod(method, Set.of(HttpMethod.GET));
            if (path.get(0).equals("metrics")) {
                requireMetricsToken(request);
            }
            return CompletableFuture.completedFuture(probe(path.get(0)));
        }
        Target target = Target.of(path);
        if (target == null) {
            throw ApiException.notFound("resource " + decoder.path());
        }
        Account account = Accounts.authenticate(request, configStore.current());
        if (!account.authId().equals(target.accountId())) {
            throw ApiException.notFound("account " + target.accountId());
        }
        Resource resource = switch (target.kind()) {
            case VOBIZ_URIS -> vobizUris;
            case VOBIZ_URI_LIST -> vobizUriList;
            case VOBIZ_URI_HEALTH -> vobizUriHealth;
            case PLIVO_URIS -> plivoUris;
            case PLIVO_TRUNKS -> plivoTrunks;
        };
        requireMethod(method, resource.allowed(target.id() != null));
        if ((method.equals(HttpMethod.POST) || method.equals(HttpMethod.PUT)) && request.content().isReadable()) {
            String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                throw new ApiException(415, "Content-Type: " + type + " (expected: application/json)");
            }
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        return resource.handle(new ApiRequest(method, account, target.id(), decoder.parameters(), body));
    }

    /** {@code Authorization: Bearer <admin.metrics_token>}, compared in constant time, when a token is set. */
    private void requireMetricsToken(FullHttpRequest request) {
        if (metricsToken == null) {
            return;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        byte[] sent = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!java.security.MessageDigest.isEqual(metricsToken, sent)) {
            throw new MetricsUnauthorized();
        }
    }

    private ApiResponse probe(String name) {
        if (name.equals("metrics")) {
            return null; // written as text by send()
        }
        ObjectNode body = Json.object();
        boolean up = name.equals("healthz") || ready.getAsBoolean();
        body.put("status", up ? "ok" : "starting");
        return new ApiResponse(up ? 200 : 503, body, Map.of());
    }

    private static void requireMethod(HttpMethod method, Set<HttpMethod> allowed) {
        if (!allowed.contains(method)) {
            String allow = allowed.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
            throw new MethodNotAllowed(method, allow);
        }
    }

    private static ApiResponse failed(Throwable failure, FullHttpRequest request) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof MethodNotAllowed m) {
            ApiResponse r = error(405, "method " + m.method + " not allowed (allowed: " + m.allow + ")");
            return new ApiResponse(405, r.body(), Map.of("Allow", m.allow));
        }
        if (cause instanceof MetricsUnauthorized) {
            ApiResponse r = error(401, "authentication failed: /metrics needs Authorization: Bearer <admin.metrics_token>");
            return new ApiResponse(401, r.body(), Map.of("WWW-Authenticate", "Bearer realm=\"sipvane-metrics\""));
        }
        if (cause instanceof ApiException e) {
            ApiResponse r = error(e.status(), e.getMessage());
            return e.status() == 401 ? new ApiResponse(401, r.body(), Map.of("WWW-Authenticate", "Basic realm=\"sipvane\"")) : r;
        }
        if (cause instanceof ConfigStore.StoreUnavailableException e) {
            ApiResponse r = error(503, e.getMessage() + "; nothing was changed, retry later");
            return new ApiResponse(503, r.body(), Map.of("Retry-After", Integer.toString(e.retryAfterSeconds())));
        }
        if (cause instanceof ConfigStore.StoreException e) {
            return error(503, e.getMessage() + "; nothing was changed");
        }
        LOG.error("{} {} failed", request.method(), new QueryStringDecoder(request.uri()).path(), cause);
        return error(500, "internal error; nothing was changed");
    }

    private static ApiResponse error(int status, String message) {
        ObjectNode body = Json.object();
        body.put("error", message);
        return new ApiResponse(status, body, Map.of());
    }

    private void send(ChannelHandlerContext ctx, boolean keepAlive, ApiResponse response) {
        FullHttpResponse http;
        if (response == null) {
            byte[] text = registry.scrape().getBytes(StandardCharsets.UTF_8);
            http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(text));
            http.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        } else if (response.body() == null) {
            http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()));
        } else {
            ObjectNode body = Json.object();
            if (response.withApiId()) {
                body.put("api_id", UUID.randomUUID().toString());
            }
            body.setAll(response.body());
            byte[] json;
            try {
                json = Json.MAPPER.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                json = "{\"error\":\"internal error\"}".getBytes(StandardCharsets.UTF_8);
            }
            http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()),
                    Unpooled.wrappedBuffer(json));
            http.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        }
        response = response == null ? ApiResponse.noContent() : response;
        response.headers().forEach(http.headers()::set);
        HttpUtil.setContentLength(http, http.content().readableBytes());
        if (keepAlive) {
            http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(http);
            ctx.read(); // the next request, now that this one is answered
        } else {
            ctx.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection error: {}", cause.toString());
        ctx.close();
    }

    private static final class MetricsUnauthorized extends RuntimeException {
        MetricsUnauthorized() {
            super(null, null, false, false);
        }
    }

    private static final class MethodNotAllowed extends RuntimeException {
        final HttpMethod method;
        final String allow;

        MethodNotAllowed(HttpMethod method, String allow) {
            super(null, null, false, false);
            this.method = method;
            this.allow = allow;
        }
    }

    /** Which resource a path names. */
    private record Target(Kind kind, String accountId, String id) {
        enum Kind { VOBIZ_URIS, VOBIZ_URI_LIST, VOBIZ_URI_HEALTH, PLIVO_URIS, PLIVO_TRUNKS }

        static Target of(List<String> p) {
            // /api/v1/Account/{auth_id}/...: the Vobiz Go SDK and the community SDK write "account"
            if (p.size() >= 5 && p.get(0).equals("api") && p.get(1).equals("v1") && p.get(2).equalsIgnoreCase("Account")) {
                String account = p.get(3);
                List<String> rest = p.subList(4, p.size());
                if (!rest.get(0).equals("origination-uris")) {
                    // .../trunks/origination-uris: where every Vobiz SDK lists
                    return rest.equals(List.of("trunks", "origination-uris"))
                            ? new Target(Kind.VOBIZ_URI_LIST, account, null) : null;
                }
                return switch (rest.size()) {
                    case 1 -> new Target(Kind.VOBIZ_URIS, account, null);
                    case 2 -> new Target(Kind.VOBIZ_URIS, account, rest.get(1));
                    case 3 -> rest.get(2).equals("health") ? new Target(Kind.VOBIZ_URI_HEALTH, account, rest.get(1)) : null;
                    default -> null;
                };
            }
            // /v1/Account/{auth_id}/Zentrunk/(URI|Trunk)/[{id}/]
            if ((p.size() == 5 || p.size() == 6) && p.get(0).equals("v1") && p.get(1).equalsIgnoreCase("Account")
                    && p.get(3).equals("Zentrunk")) {
                String id = p.size() == 6 ? p.get(5) : null;
                if (p.get(4).equals("URI")) {
                    return new Target(Kind.PLIVO_URIS, p.get(2), id);
                }
                if (p.get(4).equals("Trunk")) {
                    return new Target(Kind.PLIVO_TRUNKS, p.get(2), id);
                }
            }
            return null;
        }
    }

    /** The Vobiz SDKs' list path: the collection's GET and nothing else. */
    private record ListOnly(VobizUris uris) implements Resource {
        @Override
        public Set<HttpMethod> allowed(boolean item) {
            return Set.of(HttpMethod.GET);
        }

        @Override
        public CompletableFuture<ApiResponse> handle(ApiRequest request) {
            return CompletableFuture.completedFuture(uris.list(request));
        }
    }
}
