package io.sipvane.sip.dialog;

import gov.nist.javax.sip.message.SIPRequest;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * The INVITEs this router has answered with a 2xx in the last 64*T1 (32 s): RFC 6026's
 * "Accepted" state, kept outside the stack's transactions.
 *
 * <p>Design note: an INVITE retransmitted after its 2xx (its 100 Trying was lost and it
 * crossed the 2xx) must be absorbed, not routed as a new call. The stack's own way is to keep
 * the whole INVITE server transaction, request and responses included, in its table for a
 * fixed 8 s; at 2,000 calls/s that was 16,000 transactions and most of what every young
 * collection copied. Here an answered INVITE costs one short key (its branch and sent-by, the
 * RFC 3261 17.2.3 match) for the full 32 s of RFC 6026's Timer L, so the stack can forget the
 * transaction at once. Two generations of keys rotate every 32 s: a key is found for 32 to
 * 64 s, and nothing is scanned or swept per call.
 */
public final class AcceptedInvites {
    /** RFC 6026 Timer L: 64*T1. */
    static final long TIMER_L_MS = 64 * 500;

    private final Clock clock;
    private volatile Generations generations;

    public AcceptedInvites(Clock clock) {
        this.clock = clock;
        this.generations = new Generations(ConcurrentHashMap.newKeySet(), Set.of(), clock.millis());
    }

    /** A 2xx to {@code invite} went upstream: its retransmissions are absorbed from now on. */
    public void accepted(Request invite) {
        String key = key(invite);
        if (key != null) {
            current().latest.add(key);
        }
    }

    /** Whether {@code invite} retransmits an INVITE already answered with a 2xx. */
    public boolean absorbs(Request invite) {
        String key = key(invite);
        if (key == null) {
            return false;
        }
        Generations g = current();
        return g.latest.contains(key) || g.older.contains(key);
    }

    private Generations current() {
        Generations g = generations;
        long now = clock.millis();
        if (now - g.startedAt < TIMER_L_MS) {
            return g;
        }
        synchronized (this) {
            g = generations;
            if (now - g.startedAt >= TIMER_L_MS) {
                // a gap of more than one period leaves nothing young enough to keep
                Set<String> older = now - g.startedAt < 2 * TIMER_L_MS ? g.latest : Set.of();
                g = new Generations(ConcurrentHashMap.newKeySet(), older, now);
                generations = g;
            }
            return g;
        }
    }

    /** The top Via's branch and sent-by; null for a request with no RFC 3261 branch to match on. */
    private static String key(Request invite) {
        if (!(invite instanceof SIPRequest request) || !Request.INVITE.equals(request.getMethod())) {
            return null;
        }
        ViaHeader via = request.getTopmostVia();
        String branch = via == null ? null : via.getBranch();
        if (branch == null || !branch.startsWith("z9hG4bK")) {
            return null;
        }
        return branch + ' ' + via.getHost() + ':' + via.getPort();
    }

    private record Generations(Set<String> latest, Set<String> older, long startedAt) {}
}
