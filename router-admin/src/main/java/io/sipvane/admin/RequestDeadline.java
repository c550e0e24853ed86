package io.sipvane.admin;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request takes longer than the limit to arrive, counted from its
 * first byte to the answer: a client trickling a byte at a time (slowloris) resets an idle
 * timer forever but not this one. Sits first in the pipeline, so it sees raw bytes in and the
 * encoded answer out. Event-loop confined: {@code deadline} is touched only on the channel's
 * event loop.
 */
final class RequestDeadline extends ChannelDuplexHandler {
    private final long millis;
    private ScheduledFuture<?> deadline;

    RequestDeadline(long millis) {
        this.millis = millis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (deadline == null) {
            deadline = ctx.executor().schedule(() -> {
                ctx.close();
            }, millis, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // an answer (or 100 Continue) is going out: the request it answers has arrived
        cancel();
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
