package io.sipvane.admin.console;

import io.netty.channel.ChannelHandler;
import io.sipvane.admin.ConsoleStore;
import java.time.Clock;

/**
 * The operators' web console at {@code /console/}, served by the admin server: its Netty
 * handler, sharing one session store, action runner and asset set across connections.
 */
public final class Console {
    private final ConsoleHandler handler;

    /**
     * @param store what it reads and writes, through the API's path
     * @param data  health, traffic and recent calls, from the SIP side
     * @param clock session expiry
     */
    public Console(ConsoleStore store, ConsoleData data, Clock clock) {
        this.handler = new ConsoleHandler(new ConsoleRoutes(store, data, new Sessions(clock), new StaticAssets()));
    }

    /** The handler to place before the API's in the admin pipeline: it passes on every request not under /console. */
    public ChannelHandler handler() {
        return handler;
    }
}
