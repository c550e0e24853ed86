package io.sipvane.sip.proxy;

import io.sipvane.core.config.ListenAddress;
import io.sipvane.sip.auth.DigestAuthorizer;
import io.sipvane.sip.dialog.Cancellables;
import io.sipvane.sip.dialog.StatelessRelay;
import io.sipvane.sip.dns.DnsCache;
import io.sipvane.sip.message.Outbound;
import io.sipvane.sip.message.RouteSet;
import io.sipvane.sip.message.RouteToken;
import io.sipvane.sip.message.SipMessages;
import io.sipvane.sip.stack.TransportErrors;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;

/** Makes the {@link StackCallPort} of each new call; holds what all of them share. */
final class CallPorts {
    final SipMessages messages;
    final RouteSet routes;
    final Outbound outbound;
    final DnsCache dns;
    final DigestAuthorizer authorizer;
    final LateBranches late;
    final TransportErrors transportErrors;
    final DialogCleanup cleanup;
    final StatelessRelay statelessRelay;
    final Cancellables cancellables;
    final RouteToken tokens;
    /** Where TCP and TLS sends run, since they may have to connect first. */
    final java.util.concurrent.Executor connector;
    final Scheduler timers;

    CallPorts(SipMessages messages, RouteSet routes, Outbound outbound, DnsCache dns, DigestAuthorizer authorizer,
              LateBranches late, TransportErrors transportErrors, DialogCleanup cleanup, StatelessRelay statelessRelay,
              Cancellables cancellables, RouteToken tokens, java.util.concurrent.Executor connector, Scheduler timers) {
        this.timers = timers;
        this.tokens = tokens;
        this.connector = connector;
        this.messages = messages;
        this.routes = routes;
        this.outbound = outbound;
        this.dns = dns;
        this.authorizer = authorizer;
        this.late = late;
        this.transportErrors = transportErrors;
        this.cleanup = cleanup;
        this.statelessRelay = statelessRelay;
        this.cancellables = cancellables;
    }

    CallPort forCall(ServerTransaction upstream, Request original, ListenAddress arrival, String cancelKey) {
        return new StackCallPort(this, upstream, original, arrival, cancelKey);
    }
}
