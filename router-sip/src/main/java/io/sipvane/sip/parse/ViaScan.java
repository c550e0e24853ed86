package io.sipvane.sip.parse;

import gov.nist.core.HostPort;
import gov.nist.core.NameValue;
import gov.nist.javax.sip.header.Protocol;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.header.ViaList;

/**
 * Scans a Via header's values as JAIN-SIP's Via parser reads them, building the same
 * objects with the same calls: {@code SIP/2.0/UDP host:port;name=token;flag}, one value or
 * several after commas, with no white space inside a value. A comment, a quoted parameter,
 * a flag {@code branch} or anything else answers null and the stock parser reads the header.
 */
final class ViaScan {
    private ViaScan() {}

    static ViaList scan(Cursor at) {
        ViaList vias = new ViaList();
        while (true) {
            Via via = via(at);
            if (via == null) {
                return null;
            }
            vias.add(via);
            if (at.atEnd()) {
                return vias;
            }
            if (!at.take(',')) {
                return null;
            }
            at.skipBlanks();
        }
    }

    private static Via via(Cursor at) {
        String name = at.run(Cursor.TOKEN);
        if (name == null || !at.take('/')) {
            return null;
        }
        String version = at.run(Cursor.TOKEN);
        if (version == null || !at.take('/')) {
            return null;
        }
        String transport = at.run(Cursor.TOKEN);
        if (transport == null || !at.take(' ')) {
            return null;
        }
        at.skipBlanks();
        Via via = new Via();
        Protocol protocol = new Protocol();
        protocol.setProtocolName(name);
        protocol.setProtocolVersion(version);
        protocol.setTransport(transport);
        via.setSentProtocol(protocol);
        HostPort sentBy = SipUriScan.hostPort(at);
        if (sentBy == null) {
            return null;
        }
        via.setSentBy(sentBy);
        while (at.take(';')) {
            String parameter = at.run(Cursor.TOKEN);
            if (parameter == null) {
                return null;
            }
            // as the stock Via parser: names lower-cased (in the default locale, as it does),
            // a flag's value null
            String lowerCase = parameter.toLowerCase();
            if (at.take('=')) {
                String value = at.run(Cursor.TOKEN);
                if (value == null) {
                    return null;
                }
                via.setParameter(new NameValue(lowerCase, value));
            } else if (lowerCase.equals(Via.BRANCH)) {
                return null; // the stock parser's error
            } else {
                via.setParameter(new NameValue(lowerCase, null));
            }
        }
        char next = at.peek();
        return next == ',' || at.atEnd() ? via : null;
    }
}
