package io.sipvane.sip.proxy;

import io.sipvane.core.routing.Destination;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.sip.SipException;
import javax.sip.header.Header;
import javax.sip.message.Response;

/**
 * A {@link CallPort} that records what the call asks for, one line per action, naming
 * destinations by their URI's name: {@code send a}, {@code send a auth}, {@code relay 180},
 * {@code final 500 (503)}, {@code respond 487}, {@code cancel a}, {@code abandon a},
 * {@code ack+bye a}, {@code another 2xx}, {@code ended}.
 */
final class RecordingPort implements CallPort {
    final List<String> actions = new ArrayList<>();
    final List<Branch> branches = new ArrayList<>();
    /** Destinations (by name) whose INVITE cannot be sent at all. */
    final Set<String> unreachable = new HashSet<>();
    /** Pending name lookups, by host. */
    final Map<String, CompletableFuture<Object>> lookups = new HashMap<>();
    /** What {@link #answer} returns: the header answering a challenge, or null. */
    Header credentials;

    @Override
    public void send(Branch branch, Header authorization) throws SipException {
        String name = name(branch.destination);
        if (unreachable.contains(name)) {
            actions.add("unreachable " + name);
            throw new SipException("connection refused");
        }
        branches.add(branch);
        actions.add("send " + name + (authorization != null ? " auth" : ""));
    }

    @Override
    public CompletableFuture<?> resolve(Destination destination) {
        actions.add("resolve " + destination.target().host());
        return lookups.computeIfAbsent(destination.target().host(), h -> new CompletableFuture<>());
    }

    @Override
    public Header answer(Branch challenged, Response challenge) {
        return credentials;
    }

    @Override
    public void relay(Response response) {
        actions.add("relay " + response.getStatusCode());
    }

    @Override
    public void relayAnother2xx(Response response) {
        actions.add("another 2xx");
    }

    @Override
    public void relayFinal(Response best, int code) {
        actions.add("final " + code + (code != best.getStatusCode() ? " (" + best.getStatusCode() + ")" : ""));
    }

    @Override
    public void respond(int code) {
        actions.add("respond " + code);
    }

    @Override
    public void cancel(Branch branch) {
        actions.add("cancel " + name(branch.destination));
    }

    @Override
    public void abandon(Branch branch) {
        actions.add("abandon " + name(branch.destination));
    }

    @Override
    public void ackAndBye(Branch branch, Response ok) {
        actions.add("ack+bye " + name(branch.destination));
    }

    @Override
    public void ended() {
        actions.add("ended");
    }

    /** The branch last sent to {@code name}. */
    Branch branch(String name) {
        for (int i = branches.size() - 1; i >= 0; i--) {
            if (name(branches.get(i).destination).equals(name)) {
                return branches.get(i);
            }
        }
        throw new AssertionError("nothing was sent to " + name + ": " + actions);
    }

    private static String name(Destination d) {
        return d.source().name();
    }
}
