package io.sipvane.sip.proxy;

import io.sipvane.core.health.PassiveQuarantine;
import io.sipvane.sip.message.BranchIds;
import io.sipvane.sip.metrics.SipMetrics;

/**
 * What every call of one router shares: its timers, Timer C, the branch ids, the metrics and
 * the passive quarantine that failed attempts feed.
 *
 * @param timerCMs Timer C (RFC 3261 16.6 step 11, more than 3 minutes): a ringing branch with
 *                 no final response by then is CANCELled
 */
public record CallContext(Scheduler timers, long timerCMs, BranchIds branchIds, SipMetrics metrics,
                          PassiveQuarantine quarantine) {
    /** Timer C of RFC 3261: more than three minutes. */
    public static final long TIMER_C_MS = 180_000;
}
