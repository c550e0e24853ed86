package io.sipvane.sip.proxy;

import gov.nist.javax.sip.RequestEventExt;
import io.sipvane.core.config.SipSettings;
import io.sipvane.core.routing.RoutingTable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import javax.sip.RequestEvent;

/**
 * {@code sip.allow_from}: who may send requests that belong to no call we routed (new calls,
 * CANCEL, out-of-dialog requests). In-dialog requests are let through by the in-dialog gate
 * instead: their signed Route proves the dialog is one of ours.
 */
final class SourceAcl {
    private final RoutingTable table;

    SourceAcl(RoutingTable table) {
        this.table = table;
    }

    boolean allows(RequestEvent event) {
        SipSettings sip = table.current().config().sip();
        if (sip.allowFrom() == null) {
            return true;
        }
        try {
            String ip = ((RequestEventExt) event).getRemoteIpAddress();
            // an IP literal: getByName does not look it up
            return ip != null && sip.allows(InetAddress.getByName(ip));
        } catch (UnknownHostException | ClassCastException e) {
            return false;
        }
    }
}
