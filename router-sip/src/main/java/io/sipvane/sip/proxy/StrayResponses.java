package io.sipvane.sip.proxy;

import io.sipvane.sip.dialog.StatelessRelay;
import io.sipvane.sip.message.BranchIds;
import javax.sip.SipException;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A response that matches no client transaction: a late 2xx of a branch we gave up on (its
 * call ACKs and BYEs it), a response to a request we relayed statelessly, or a 2xx
 * retransmission (2xx travel end to end, RFC 3261 16.7 step 5 and 13.3.1.4). Anything else
 * was not sent through us, or belongs to a finished transaction, and is dropped.
 */
final class StrayResponses {
    private static final Logger LOG = LoggerFactory.getLogger(StrayResponses.class);
    private final LateBranches late;
    private final StatelessRelay statelessRelay;

    StrayResponses(LateBranches late, StatelessRelay statelessRelay) {
        this.late = late;
        this.statelessRelay = statelessRelay;
    }

    void handle(Response response) throws SipException {
        ViaHeader top = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (top == null || !BranchIds.isOurs(top.getBranch())) {
            return; // not sent through us
        }
        int code = response.getStatusCode();
        Branch branch = late.find(top.getBranch());
        if (branch != null) {
            if (code >= 200 && code < 300) {
                branch.call.onLate2xx(branch, response);
            }
            return;
        }
        if (statelessRelay.relay(response)) {
            return; // normally done by the valve before the transaction layer
        }
        if (code >= 200 && code < 300) {
            LOG.debug("relaying a 2xx that matches no transaction: {}", response.getHeader(CallIdHeader.NAME));
            statelessRelay.forward(response);
        }
    }
}
