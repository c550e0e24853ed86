package io.sipvane.sip.parse;

import gov.nist.core.NameValue;
import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.AddressParametersHeader;

/**
 * Scans one address with its header parameters, as JAIN-SIP's address and parameter parsers
 * read From, To, Contact, Route and Record-Route: an optional display name (quoted without
 * escapes, or a run of token characters and blanks), a {@code sip:} URI in angle brackets, or
 * a bare {@code sip:} URI (an addr-spec), then {@code ;name} or {@code ;name=token}
 * parameters, with no white space inside. Anything else answers false and the stock parser
 * reads the header.
 */
final class AddressScan {
    private static final CharClass UNQUOTED_DISPLAY_NAME = Cursor.TOKEN.with(" \t");

    private AddressScan() {}

    /** Fills {@code header} from the address at the cursor, or answers false. */
    static boolean scan(Cursor at, AddressParametersHeader header) {
        AddressImpl address = address(at);
        if (address == null) {
            return false;
        }
        header.setAddress(address);
        while (at.take(';')) {
            String name = at.run(Cursor.TOKEN);
            if (name == null) {
                return false;
            }
            if (at.take('=')) {
                String value = at.run(Cursor.TOKEN);
                if (value == null) {
                    return false; // quoted, or empty
                }
                header.setParameter(new NameValue(name, value, false));
            } else {
                header.setParameter(new NameValue(name, "", true));
            }
        }
        return true;
    }

    private static AddressImpl address(Cursor at) {
        if (at.text.startsWith("sip:", at.pos)) {
            SipUri uri = SipUriScan.scan(at, false);
            if (uri == null) {
                return null;
            }
            AddressImpl address = new AddressImpl();
            address.setAddressType(AddressImpl.ADDRESS_SPEC);
            address.setURI(uri);
            return address;
        }
        return nameAddr(at);
    }

    private static AddressImpl nameAddr(Cursor at) {
        String displayName = null;
        if (at.take('"')) {
            int start = at.pos;
            int end = at.text.indexOf('"', start);
            if (end < 0 || !plainQuotedText(at.text, start, end)) {
                return null;
            }
            displayName = at.text.substring(start, end).trim();
            at.pos = end + 1;
            at.skipBlanks();
        } else if (at.peek() != '<') {
            int start = at.skip(UNQUOTED_DISPLAY_NAME);
            displayName = at.text.substring(start, at.pos).trim();
        }
        if (!at.take('<')) {
            return null;
        }
        SipUri uri = SipUriScan.scan(at, true);
        if (uri == null || !at.take('>')) {
            return null;
        }
        AddressImpl address = new AddressImpl();
        address.setAddressType(AddressImpl.NAME_ADDR);
        if (displayName != null) {
            address.setDisplayName(displayName);
        }
        address.setURI(uri);
        return address;
    }

    /** Quoted text without escapes or control characters. */
    private static boolean plainQuotedText(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\\' || (c < ' ' && c != '\t')) {
                return false;
            }
        }
        return true;
    }
}
