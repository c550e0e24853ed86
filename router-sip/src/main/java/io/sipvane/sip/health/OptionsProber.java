package io.sipvane.sip.health;

import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.model.Transport;
import io.sipvane.core.routing.Destination;
import io.sipvane.core.uri.SipUri;
import io.sipvane.sip.message.BranchIds;
import io.sipvane.sip.message.Outbound;
import io.sipvane.sip.message.SipMessages;
import io.sipvane.sip.stack.TransactionOwner;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sip.ClientTransaction;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Sends one OPTIONS probe (RFC 3261 11) to a destination from the listener facing it; the
 * probe ends at its final response, a transport error, or after its timeout.
 */
public final class OptionsProber {
    private final SipMessages messages;
    private final Outbound outbound;
    private final BranchIds branchIds;

    public OptionsProber(SipMessages messages, Outbound outbound, BranchIds branchIds) {
        this.messages = messages;
        this.outbound = outbound;
        this.branchIds = branchIds;
    }

    /** Completes with the final response's code, or exceptionally on a transport error or silence. */
    public CompletableFuture<Integer> probe(Destination destination, int timeoutMs) {
        Probe probe = new Probe();
        try {
            SipUri target = destination.target();
            Transport transport = destination.transport();
            ListenAddress own = outbound.toward(target.host(), transport, null);
            SipProvider provider = outbound.provider(own);
            if (provider == null) {
                throw new IOException("no " + transport.token() + " listener to probe from");
            }
            AddressFactory addresses = messages.addresses();
            HeaderFactory headers = messages.headers();
            SipURI uri = addresses.createSipURI(target.user(), target.host());
            if (target.port() != 0) {
                uri.setPort(target.port());
            }
            uri.setSecure(target.secure());
            if (transport != Transport.UDP && !target.secure()) {
                uri.setTransportParam(transport.token());
            }
            SipURI self = addresses.createSipURI("sipvane", own.advertisedHost());
            self.setPort(own.advertisedPort());
            Request options = messages.messages().createRequest(uri, Request.OPTIONS, provider.getNewCallId(),
                    headers.createCSeqHeader(1L, Request.OPTIONS),
                    headers.createFromHeader(addresses.createAddress(self), Long.toHexString(ThreadLocalRandom.current().nextLong())),
                    headers.createToHeader(addresses.createAddress(uri), null),
                    List.of(messages.via(own, branchIds.next())), headers.createMaxForwardsHeader(SipMessages.MAX_FORWARDS));
            ClientTransaction ct = provider.getNewClientTransaction(options);
            ct.setApplicationData(probe);
            ct.sendRequest();
        } catch (Exception e) {
            // the reason the destination is down: the socket's or the TLS handshake's own words
            probe.result.completeExceptionally(e instanceof IOException ? e
                    : new IOException(io.sipvane.sip.stack.TransportErrors.reason(e), e));
        }
        return probe.result.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).exceptionallyCompose(failure -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : failure;
            return CompletableFuture.failedFuture(cause instanceof TimeoutException
                    ? new IOException("no answer in " + timeoutMs + " ms") : cause);
        });
    }

    /** One OPTIONS in flight. */
    private static final class Probe implements TransactionOwner {
        final CompletableFuture<Integer> result = new CompletableFuture<>();

        @Override
        public void onResponse(Response response) {
            if (response.getStatusCode() >= 200) {
                result.complete(response.getStatusCode());
            }
        }

        @Override
        public void onTimeout() {
            result.completeExceptionally(new IOException("no answer"));
        }
    }
}
