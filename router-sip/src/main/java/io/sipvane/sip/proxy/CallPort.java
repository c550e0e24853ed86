package io.sipvane.sip.proxy;

import io.sipvane.core.routing.Destination;
import java.util.concurrent.CompletableFuture;
import javax.sip.SipException;
import javax.sip.header.Header;
import javax.sip.message.Response;

/**
 * Everything a {@link ProxyCall} does to the world, for one call: the caller's transaction
 * upstream, the branches downstream. {@link StackCallPort} does it on JAIN-SIP; the state
 * machine's tests record it. Called under the call's lock: implementations only send, they
 * never wait.
 */
public interface CallPort {
    /**
     * Builds the INVITE for {@code branch}'s destination (with {@code authorization} when
     * answering a challenge), starts its client transaction and sends it. Throws when it
     * could not be sent at all (no listener, refused connection): the walk moves on.
     */
    void send(Branch branch, Header authorization) throws SipException;

    /** Resolves the destination's host name off the caller's thread. */
    CompletableFuture<?> resolve(Destination destination);

    /** The Authorization header answering a destination's 401/407 with its credentials, or null. */
    Header answer(Branch challenged, Response challenge);

    /** Relays a provisional or the 2xx upstream; the response is handed over (our Via comes off it). */
    void relay(Response response);

    /** Relays a further 2xx (another fork of the callee) upstream without a transaction. */
    void relayAnother2xx(Response response);

    /** Relays the walk's chosen final response upstream as {@code code}. */
    void relayFinal(Response best, int code);

    /** Sends our own final response upstream (487, 408, 503 with Retry-After). */
    void respond(int code);

    /** CANCELs a branch that had a provisional response; its late 2xx will still be found. */
    void cancel(Branch branch);

    /** Gives up a branch that has had no provisional response; its late 2xx will still be found. */
    void abandon(Branch branch);

    /** ACKs (and once, BYEs) a 2xx from a branch nobody wants, so no call stays up at the callee. */
    void ackAndBye(Branch branch, Response ok);

    /** The call has its final answer upstream: it no longer takes CANCELs. */
    void ended();
}
