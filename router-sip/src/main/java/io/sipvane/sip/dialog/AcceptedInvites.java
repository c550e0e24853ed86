package io.sipvane.sip.dialog;

import gov.nist.javax.sip.message.SIPRequest;
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
 * transaction at once. Two generations of keys, and the owner's timer calls {@link #rotate}
 * every {@link #TIMER_L_MS}: a key is found for 32 to 64 s, and nothing is scanned or swept
 * per call.
 *
 * <p>Why a timer and not a clock read on the call path: the path then reads one volatile
 * field, and both generations are always the same kind of set. A rotation decided on the path
 * is a branch the JIT has never seen taken until the first 32 s are up; taking it then
 * discarded the compiled relay methods that inline this class, in the middle of the load.
 */
public final class AcceptedInvites {
    /** RFC 6026 Timer L: 64*T1, how often {@link #rotate} is to be called. */
    public static final long TIMER_L_MS = 64 * 500;

    private volatile Generations generations =
            new Generations(ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());

    /** A 2xx to {@code invite} went upstream: its retransmissions are absorbed from now on. */
    public void accepted(Request invite) {
        String key = key(invite);
        if (key != null) {
            generations.latest.add(key);
        }
    }

    /** Whether {@code invite} retransmits an INVITE already answered with a 2xx. */
    public boolean absorbs(Request invite) {
        String key = key(invite);
        if (key == null) {
            return false;
        }
        Generations g = generations;
        return g.latest.contains(key) || g.older.contains(key);
    }

    /**
     * Starts a new generation and forgets the one before the last: what was accepted up to
     * now is still absorbed until the next rotation. A key added while this runs lands in one
     * of the two kept generations either way.
     */
    public void rotate() {
        Set<String> latest = generations.latest;
        // sized for as many as the last period had: under steady load the set never resizes
        generations = new Generations(ConcurrentHashMap.newKeySet(latest.size()), latest);
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

    private record Generations(Set<String> latest, Set<String> older) {}
}
