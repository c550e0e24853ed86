package io.sipvane.admin.console;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty glue of the console: takes the requests under {@code /console} off the admin
 * pipeline (the API's handler gets every other one untouched), hands them to
 * {@link ConsoleRoutes}, and writes the answer with the security headers every console
 * response carries. Like the API's handler it never blocks the event loop (writes complete
 * on the store's thread and are answered from there), asks for the next request only after
 * answering (reads are not automatic on the admin server), and lets no exception escape.
 */
@ChannelHandler.Sharable
final class ConsoleHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);
    /** Only this server's own scripts, styles and forms; never framed. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    private final ConsoleRoutes routes;

    ConsoleHandler(ConsoleRoutes routes) {
        this.routes = routes;
    }

    static boolean isConsolePath(String path) {
        return path.equals("/console") || path.startsWith(ConsolePages.BASE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request) || !request.decoderResult().isSuccess()) {
            ctx.fireChannelRead(msg);
            return;
        }
        QueryStringDecoder decoder = new QueryStringDecoder(request.uri());
        if (!isConsolePath(decoder.path())) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        ConsoleRequest console;
        try {
            console = new ConsoleRequest(request.method(), decoder.path(), Form.ofQuery(request.uri()), request.headers().copy(),
                    ByteBufUtil.getBytes(request.content()));
        } finally {
            request.release();
        }
        CompletableFuture<ConsoleResponse> answer;
        try {
            answer = routes.route(console);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, failure) -> write(ctx, keepAlive, failure == null ? response : failed(failure, console)));
    }

    private static ConsoleResponse failed(Throwable failure, ConsoleRequest request) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ConsoleRoutes.MethodNotAllowed m) {
            return ConsoleResponse.text(405, "method " + request.method() + " not allowed").with("Allow", m.allowed.name());
        }
        LOG.error("console {} {} failed", request.method(), request.path(), cause);
        return ConsoleResponse.text(500, "internal error");
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, ConsoleResponse response) {
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()),
                Unpooled.wrappedBuffer(response.body()));
        var headers = http.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        headers.set("Content-Security-Policy", CSP);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "same-origin");
        if (!response.headers().containsKey("Cache-Control")) {
            headers.set(HttpHeaderNames.CACHE_CONTROL, "no-store"); // pages carry the CSRF token and account data
        }
        response.headers().forEach(headers::add);
        HttpUtil.setContentLength(http, http.content().readableBytes());
        if (keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(http);
            ctx.read(); // the next request, now that this one is answered
        } else {
            ctx.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
