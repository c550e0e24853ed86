package io.sipvane.sip.proxy;

import io.sipvane.core.routing.RoutedTrunk;
import io.sipvane.core.routing.RoutingSnapshot;
import io.sipvane.sip.metrics.SipMetrics;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;

/** Starts the {@link CallRecord} of a new INVITE: its Call-ID and numbers, masked when {@code logging.mask_numbers}. */
final class CallRecords {
    private CallRecords() {}

    /** @param arrivedNanos {@code System.nanoTime()} when the INVITE was taken up */
    static CallRecord of(Request invite, RoutedTrunk trunk, RoutingSnapshot snapshot, SipMetrics metrics, long arrivedNanos) {
        CallIdHeader callId = (CallIdHeader) invite.getHeader(CallIdHeader.NAME);
        FromHeader from = (FromHeader) invite.getHeader(FromHeader.NAME);
        String caller = from != null && from.getAddress().getURI() instanceof SipURI uri ? uri.getUser() : null;
        String called = invite.getRequestURI() instanceof SipURI uri ? uri.getUser() : null;
        boolean mask = snapshot.config().logging().maskNumbers();
        return new CallRecord(callId == null ? "-" : callId.getCallId(), orDash(mask ? CallRecord.mask(caller) : caller),
                orDash(mask ? CallRecord.mask(called) : called), trunk.trunk().accountId(), trunk.trunk().id().toString(), trunk.trunk().name(),
                metrics, System::nanoTime, arrivedNanos);
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
