package io.sipvane.sip.parse;

import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.AddressParametersHeader;
import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.header.ContactList;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.RecordRouteList;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.header.RouteList;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.SIPHeaderList;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import java.text.ParseException;
import java.util.function.Supplier;
import javax.sip.InvalidArgumentException;

/**
 * Reads the common shapes of the headers every call carries, and of request and status lines,
 * in one pass over the line, into the very objects JAIN-SIP's parsers build for them, through
 * the same calls. A line in any other shape answers null, and the stock parser reads it: what a
 * message parses into, or fails with, is the stock parser's in every case
 * ({@code HeaderScannerTest} compares the two, field by field).
 *
 * <p>Implementation note: the stock parsers run a lexer per header, with a token object and a
 * string for every token and a keyword lookup for many; at 2,000 calls/s they were about a
 * seventh of the router's CPU. The shapes read here are the ones SIP endpoints send: no white space
 * inside a value, no quoting or escapes beyond a quoted display name, {@code sip:} URIs,
 * IPv4 addresses and host names.
 */
public final class HeaderScanner {
    private HeaderScanner() {}

    /**
     * The header {@code line} (without its line end) holds, if it is {@code kind} in a shape
     * read here, or null.
     */
    public static SIPHeader scan(CommonHeader kind, String line) {
        Cursor at = value(line);
        try {
            return switch (kind) {
                case VIA -> ViaScan.scan(at);
                case FROM -> single(at, new From());
                case TO -> single(at, new To());
                case CONTACT -> list(at, new ContactList(), Contact::new);
                case ROUTE -> list(at, new RouteList(), Route::new);
                case RECORD_ROUTE -> list(at, new RecordRouteList(), RecordRoute::new);
                case CALL_ID -> SingleValueHeaders.callId(at);
                case CSEQ -> SingleValueHeaders.cseq(at);
                case MAX_FORWARDS -> SingleValueHeaders.maxForwards(at);
                case CONTENT_LENGTH -> SingleValueHeaders.contentLength(at);
                case CONTENT_TYPE -> null;
            };
        } catch (ParseException | InvalidArgumentException | RuntimeException e) {
            return null; // the stock parser reads it, and reports what is wrong
        }
    }

    /**
     * The length a Content-Length {@code line} gives, if it is in a shape read here, or -1: the
     * value {@link #scan} would put in a header, without the header.
     */
    public static int contentLength(String line) {
        return SingleValueHeaders.contentLengthValue(value(line));
    }

    /** A cursor at the value of a header line: past the colon and the blanks after it. */
    private static Cursor value(String line) {
        Cursor at = new Cursor(line, line.indexOf(':') + 1);
        at.skipBlanks();
        return at;
    }

    /** The status line {@code SIP/2.0 NNN reason}, or null. */
    public static StatusLine statusLine(String line) {
        if (!line.startsWith("SIP/2.0 ")) {
            return null;
        }
        Cursor at = new Cursor(line, "SIP/2.0 ".length());
        int start = at.skip(Cursor.DIGIT);
        if (at.pos - start != 3 || !(at.atEnd() || at.peek() == ' ')) {
            return null;
        }
        StatusLine statusLine = new StatusLine();
        statusLine.setSipVersion("SIP/2.0");
        statusLine.setStatusCode(Integer.parseInt(line, start, at.pos, 10));
        // as the stock parser: whatever follows the code, trimmed
        statusLine.setReasonPhrase(line.substring(at.pos).trim());
        return statusLine;
    }

    /** The request line {@code METHOD sip:uri SIP/2.0} of a known method, or null. */
    public static RequestLine requestLine(String line) {
        Cursor at = new Cursor(line, 0);
        String method = Methods.known(at);
        if (method == null || !at.take(' ')) {
            return null;
        }
        at.skipBlanks();
        SipUri uri;
        try {
            uri = SipUriScan.scan(at, true);
        } catch (RuntimeException e) {
            return null;
        }
        if (uri == null || !at.take(' ')) {
            return null;
        }
        at.skipBlanks();
        if (!at.take("SIP/2.0") || !at.atEnd()) {
            return null;
        }
        RequestLine requestLine = new RequestLine();
        requestLine.setMethod(method);
        requestLine.setUri(uri);
        requestLine.setSipVersion("SIP/2.0");
        return requestLine;
    }

    private static <H extends AddressParametersHeader> H single(Cursor at, H header) {
        return AddressScan.scan(at, header) && at.atEnd() ? header : null;
    }

    private static <H extends AddressParametersHeader, L extends SIPHeaderList<H>> L list(
            Cursor at, L list, Supplier<H> element) {
        while (true) {
            if (list instanceof ContactList && at.peek() == '*') {
                return null; // the stock parser decides between a wildcard and a display name
            }
            H header = element.get();
            if (!AddressScan.scan(at, header)) {
                return null;
            }
            list.add(header);
            if (at.atEnd()) {
                return list;
            }
            if (!at.take(',')) {
                return null;
            }
            at.skipBlanks();
        }
    }
}
