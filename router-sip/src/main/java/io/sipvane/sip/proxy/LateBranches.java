package io.sipvane.sip.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Branches given up on (abandoned or cancelled), by our Via branch, for a while: a 2xx that
 * arrives after their client transaction is gone finds its call here, which ACKs and BYEs it.
 */
final class LateBranches {
    /** How long a given-up branch is remembered: Timer B (64*T1) and some. */
    static final long MEMORY_MS = 40_000;

    private final Map<String, Branch> branches = new ConcurrentHashMap<>();
    private final Scheduler timers;

    LateBranches(Scheduler timers) {
        this.timers = timers;
    }

    void remember(Branch branch) {
        if (branches.putIfAbsent(branch.viaBranch, branch) == null) {
            timers.schedule(() -> branches.remove(branch.viaBranch, branch), MEMORY_MS);
        }
    }

    Branch find(String viaBranch) {
        return viaBranch == null ? null : branches.get(viaBranch);
    }
}
