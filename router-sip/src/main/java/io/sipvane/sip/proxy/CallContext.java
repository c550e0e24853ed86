package io.sipvane.sip.proxy;

import io.sipvane.core.health.HealthView;
import io.sipvane.core.health.PassiveQuarantine;
import io.sipvane.sip.message.BranchIds;
import io.sipvane.sip.metrics.SipMetrics;

/**
 * What every call of one router shares: its timers, Timer C, the branch ids, the metrics, the
 * passive quarantine that failed attempts feed, and what draws the rest of a walk whose first
 * attempt failed.
 *
 * @param timerCMs Timer C (RFC 3261 16.6 step 11, more than 3 minutes): a ringing branch with
 *                 no final response by then is CANCELled
 * @param random   draws the weighted order of a failover plan
 * @param health   which destinations a failover plan skips (probes and quarantine)
 */
public record CallContext(Scheduler timers, long timerCMs, BranchIds branchIds, SipMetrics metrics,
                          PassiveQuarantine quarantine, java.util.random.RandomGenerator random, HealthView health) {
    /** Timer C of RFC 3261: more than three minutes. */
    public static final long TIMER_C_MS = 180_000;
}
