package io.sipvane.sip.proxy;

/**
 * RFC 3261 §16.7 step 6: which final response of a failed walk goes upstream. A 6xx wins;
 * otherwise the lowest class (3xx before 4xx before 5xx); within a class the first one seen.
 */
final class ResponseSelection {
    private ResponseSelection() {}

    /** Whether {@code candidate} is a better final response to relay than {@code best}. */
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
        return candidate / 100 < best / 100;
    }

    /** §16.7: a 503 chosen as the best response is relayed as 500, since the proxy itself is not overloaded. */
    static int relayedCode(int code) {
        return code == 503 ? 500 : code;
    }
}
