package io.sipvane.sip.proxy;

/**
 * RFC 3261 §16.7 step 6: which final response of a failed walk goes upstream. A 6xx wins;
 * otherwise the lowest class (3xx before 4xx before 5xx); within the 4xx class a response
 * that tells the caller how to resubmit (415, 420, 484) before any other; else the first seen.
 * (401 and 407 are preferred by the RFC too, but a destination's challenge is never relayed:
 * its credentials are the router's, not the caller's.)
 */
final class ResponseSelection {
    private ResponseSelection() {}

    /** Whether {@code candidate} is a better final response to relay than {@code best} (0: none yet). */
    static boolean isBetter(int candidate, int best) {
        if (best == 0) {
            return true;
        }
        if (best >= 600) {
            return false;
        }
        if (candidate >= 600) {
            return true;
        }
        if (candidate / 100 != best / 100) {
            return candidate / 100 < best / 100;
        }
        return candidate / 100 == 4 && guidesResubmission(candidate) && !guidesResubmission(best);
    }

    private static boolean guidesResubmission(int code) {
        return code == 415 || code == 420 || code == 484;
    }

    /** §16.7: a 503 chosen as the best response is relayed as 500, since the proxy itself is not overloaded. */
    static int relayedCode(int code) {
        return code == 503 ? 500 : code;
    }
}
