package io.sipvane.sip.parse;

import gov.nist.core.Host;
import gov.nist.core.HostPort;
import gov.nist.core.NameValue;
import gov.nist.javax.sip.address.SipUri;

/**
 * Scans a {@code sip:} URI as JAIN-SIP's URL parser reads one inside angle brackets or in a
 * request line: user, host, port and parameters, building the same objects with the same
 * calls. Whatever else a URI may hold (sips:, tel:, escapes, a password, IPv6, headers)
 * answers null and the stock parser reads it.
 */
final class SipUriScan {
    private SipUriScan() {}

    /**
     * The URI at the cursor, left just after it (before the '>' or the space that ends it),
     * or null if it is not one this scanner reads. Outside angle brackets (an addr-spec
     * header value) a ';' ends the URI: what follows are the header's parameters.
     */
    static SipUri scan(Cursor at, boolean inBrackets) {
        if (!at.take("sip:")) {
            return null;
        }
        SipUri uri = new SipUri();
        uri.setScheme("sip");
        // the stock parser reads a user part first and takes it back if no '@' follows
        int start = at.pos;
        at.skip(Cursor.USER);
        String user = null;
        if (at.peek() == '@') {
            user = at.text.substring(start, at.pos);
            at.pos++;
        } else if (at.peek() == ':') {
            at.pos++;
            at.skip(Cursor.PASSWORD);
            if (at.peek() == '@') {
                return null; // a password in the URI
            }
            at.pos = start;
        } else {
            at.pos = start;
        }
        if (user != null) {
            uri.setUser(user);
        }
        HostPort hostPort = hostPort(at);
        if (hostPort == null) {
            return null;
        }
        uri.setHostPort(hostPort);
        while (inBrackets && at.take(';')) {
            String name = at.run(Cursor.URI_PARAMETER);
            if (name == null) {
                return null;
            }
            if (at.take('=')) {
                int valueStart = at.skip(Cursor.URI_PARAMETER);
                uri.setUriParameter(new NameValue(name, at.text.substring(valueStart, at.pos), false));
            } else {
                uri.setUriParameter(new NameValue(name, "", true));
            }
        }
        return uri;
    }

    /**
     * A host name or IPv4 address and an optional port, as JAIN-SIP's host parser reads them
     * without white space, or null for anything else (IPv6, a port beyond five digits).
     */
    static HostPort hostPort(Cursor at) {
        // JAIN-SIP reads a host as an IPv6 address without brackets when two colons come
        // before the next ',', ';' or '?'. Every shape read here ends the host part at one of
        // those, a '>', a space or the end, after at most one colon: never such a host.
        String name = at.run(Cursor.DOMAIN);
        if (name == null) {
            return null;
        }
        HostPort hostPort = new HostPort();
        hostPort.setHost(new Host(name));
        if (at.take(':')) {
            int start = at.skip(Cursor.DIGIT);
            int digits = at.pos - start;
            if (digits == 0 || digits > 5) {
                return null;
            }
            hostPort.setPort(Integer.parseInt(at.text, start, at.pos, 10));
        }
        return hostPort;
    }
}
