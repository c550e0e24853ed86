package io.sipvane.sip.message;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Our Via branches (RFC 3261 8.1.1.7): the magic cookie, {@code sv}, then a counter and a
 * random part in hex for stateful requests, or {@code s} and the caller's own branch for
 * requests relayed statelessly, so that a retransmission of one gets the same branch and the
 * next hop's transaction absorbs it.
 */
public final class BranchIds {
    public static final String MAGIC_COOKIE = "z9hG4bK";
    static final String PREFIX = MAGIC_COOKIE + "sv";
    public static final String STATELESS_PREFIX = PREFIX + "s";

    private final AtomicLong counter = new AtomicLong(ThreadLocalRandom.current().nextLong() >>> 16);

    /** A new unique branch for a request we send statefully. */
    public String next() {
        return PREFIX + Long.toHexString(counter.incrementAndGet())
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    }

    /** The branch of a stateless relay of a request whose own top branch is {@code callers} (RFC 3261 style). */
    public static String stateless(String callers) {
        return STATELESS_PREFIX + callers.substring(MAGIC_COOKIE.length());
    }

    /** Whether {@code branch} is an RFC 3261 branch (starts with the magic cookie). */
    public static boolean isRfc3261(String branch) {
        return branch != null && branch.startsWith(MAGIC_COOKIE);
    }

    /** Whether {@code branch} is one of ours. */
    public static boolean isOurs(String branch) {
        return branch != null && branch.startsWith(PREFIX);
    }

    /** Whether {@code branch} is one of a request we relayed statelessly. */
    public static boolean isStateless(String branch) {
        return branch != null && branch.startsWith(STATELESS_PREFIX);
    }
}
