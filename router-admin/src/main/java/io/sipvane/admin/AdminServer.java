package io.sipvane.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import io.sipvane.admin.console.Console;
import io.sipvane.admin.console.ConsoleData;
import io.sipvane.core.config.AdminSettings;
import io.sipvane.core.store.ConfigStore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: origination URIs and trunks (Plivo and Vobiz flavours), {@code /metrics},
 * {@code /healthz} and {@code /readyz}, and the operators' console under {@code /console/}, on one Netty event loop thread (the API is light;
 * disk writes run on the store's own thread).
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    /** Request bodies above this get 413: an origination URI is a few hundred bytes. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final AdminSettings settings;
    private final AdminHandler handler;
    /** The console's handler: takes the requests under /console, passes on the others. */
    private final io.netty.channel.ChannelHandler console;
    private EventLoopGroup group;
    private Channel channel;

    /**
     * @param settings where to listen (port 0 = any free port)
     * @param store    the store every write goes through
     * @param registry the registry {@code /metrics} scrapes
     * @param ready    whether the router is ready (SIP listeners bound), for {@code /readyz}
     * @param states   the health {@code state} of a URI ({@code up}, {@code down}, {@code probing})
     */
    public AdminServer(AdminSettings settings, ConfigStore store, PrometheusMeterRegistry registry, BooleanSupplier ready,
                       Function<UUID, String> states) {
        this(settings, store, registry, ready, states, java.time.Clock.systemUTC());
    }

    /** As above, with the clock that stamps created_at and updated_at (and expires console sessions). */
    public AdminServer(AdminSettings settings, ConfigStore store, PrometheusMeterRegistry registry, BooleanSupplier ready,
                       Function<UUID, String> states, java.time.Clock clock) {
        this(settings, store, registry, ready, states, clock, ConsoleData.basic(states));
    }

    /** As above, with what the console at {@code /console/} shows of health, traffic and recent calls. */
    public AdminServer(AdminSettings settings, ConfigStore store, PrometheusMeterRegistry registry, BooleanSupplier ready,
                       Function<UUID, String> states, java.time.Clock clock, ConsoleData console) {
        this.settings = settings;
        this.handler = new AdminHandler(store, registry, ready, states, settings.resolveMetricsToken(), clock);
        this.console = new Console(new ConsoleStore(store, clock), console, clock).handler();
    }

    /** A server whose URIs all report {@code state: up} (no health checks behind it). */
    public AdminServer(AdminSettings settings, ConfigStore store, PrometheusMeterRegistry registry, BooleanSupplier ready) {
        this(settings, store, registry, ready, id -> "up");
    }

    /** Binds and returns the port listened on. */
    public synchronized int start() throws InterruptedException {
        group = new NioEventLoopGroup(1, new io.netty.util.concurrent.DefaultThreadFactory("sipvane-admin", true));
        long idle = settings.idleTimeoutMs();
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                // one request at a time per connection: the handler asks for the next one after it
                // has answered, so pipelined requests are answered in order (FlowControlHandler
                // hands out the requests one socket read decoded together one by one)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new RequestDeadline(idle),
                                new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS), new CloseWhenIdle(),
                                new HttpServerCodec(), new BodyLimit(), new FlowControlHandler(), console, handler);
                    }
                });
        try {
            channel = bootstrap.bind(settings.host(), settings.port()).sync().channel();
        } catch (InterruptedException e) {
            stop();
            throw e;
        } catch (Exception e) {
            stop();
            // Netty rethrows the socket's own exception, checked or not (BindException: "Address already in use")
            throw new IllegalStateException("cannot listen for the admin API over TCP on " + settings.host() + ":"
                    + settings.port() + " (admin.listen): " + e.getMessage(), e);
        }
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
        LOG.info("admin API listening on {}:{}", settings.host(), port);
        return port;
    }

    public synchronized void stop() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
            channel = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Closes a connection that neither sent nor received anything for the idle timeout. */
    private static final class CloseWhenIdle extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }
    }

    /**
     * Aggregates bodies up to {@link #MAX_BODY_BYTES}; larger ones get a JSON 413. While it
     * discards the rest of such a body nothing reaches the handler, which would otherwise ask
     * for the next read, so it asks itself (reads are not automatic, see {@link #start()}).
     */
    private static final class BodyLimit extends HttpObjectAggregator {
        private boolean discarding; // event loop only

        BodyLimit() {
            super(MAX_BODY_BYTES);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            boolean last = msg instanceof LastHttpContent;
            super.channelRead(ctx, msg);
            if (discarding && last) {
                discarding = false;
                ctx.read();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            if (discarding) {
                ctx.read();
            }
            super.channelReadComplete(ctx);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            String json = "{\"api_id\":\"" + UUID.randomUUID() + "\",\"error\":\"request body over " + MAX_BODY_BYTES
                    + " bytes\"}";
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            HttpUtil.setContentLength(response, response.content().readableBytes());
            discarding = !(oversized instanceof FullHttpMessage);
            if (HttpUtil.isKeepAlive(oversized)) {
                if (!discarding) {
                    ctx.read();
                }
                // the aggregator discards the rest of the body; closing now, with the client still
                // sending, makes the kernel reset the connection and the client may lose the 413
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            } else {
                HttpUtil.setKeepAlive(response, false);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
