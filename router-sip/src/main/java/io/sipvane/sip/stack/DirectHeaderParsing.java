package io.sipvane.sip.stack;

import gov.nist.javax.sip.header.ExtensionHeaderImpl;
import gov.nist.javax.sip.header.NameMap;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.CSeqParser;
import gov.nist.javax.sip.parser.CallIDParser;
import gov.nist.javax.sip.parser.ContactParser;
import gov.nist.javax.sip.parser.ContentLengthParser;
import gov.nist.javax.sip.parser.ContentTypeParser;
import gov.nist.javax.sip.parser.FromParser;
import gov.nist.javax.sip.parser.HeaderParser;
import gov.nist.javax.sip.parser.Lexer;
import gov.nist.javax.sip.parser.MaxForwardsParser;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.RecordRouteParser;
import gov.nist.javax.sip.parser.RouteParser;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.parser.ToParser;
import gov.nist.javax.sip.parser.ViaParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/**
 * The stack's message parser, with the parser of each header every call carries made
 * directly: Via, From, To, Call-ID, CSeq, Max-Forwards, Contact, Route, Record-Route,
 * Content-Type and Content-Length, long and compact names. Any other header goes the stock
 * way, and every header is parsed by the stock header parser, so what a message parses into,
 * or fails with, is unchanged (tested against the stock parser).
 *
 * <p>Implementation note: JAIN-SIP finds a header's parser per header line by cutting the
 * name and the value into new strings, lower-casing the name through a concurrent map, looking
 * the class up in a synchronized {@code Hashtable} and its constructor in another map, and
 * calling it reflectively: about a fifth of the time a message takes to parse at 2,000
 * calls/s. Here the name is compared in place.
 */
final class DirectHeaderParsing extends StringMsgParser {

    @Override
    protected void processHeader(String header, SIPMessage message, ParseExceptionListener listener, byte[] raw)
            throws ParseException {
        HeaderParser parser = header == null ? null : commonParser(header);
        if (parser == null) {
            super.processHeader(header, message, listener, raw);
            return;
        }
        try {
            message.attachHeader(parser.parse(), false);
        } catch (ParseException e) {
            // as the stock parser: the listener decides; without one the header is left out
            if (listener != null) {
                Class<?> headerClass = NameMap.getClassFromName(Lexer.getHeaderName(header));
                listener.handleException(e, message, headerClass == null ? ExtensionHeaderImpl.class : headerClass, header,
                        new String(raw, StandardCharsets.UTF_8));
            }
        }
    }

    /** The parser of a header every call carries, or null for the others. */
    static HeaderParser commonParser(String header) {
        int colon = header.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        int end = colon;
        while (end > 0 && (header.charAt(end - 1) == ' ' || header.charAt(end - 1) == '\t')) {
            end--;
        }
        String line = header + "\n";
        return switch (end) {
            case 1 -> switch (Character.toLowerCase(header.charAt(0))) {
                case 'v' -> new ViaParser(line);
                case 'f' -> new FromParser(line);
                case 't' -> new ToParser(line);
                case 'i' -> new CallIDParser(line);
                case 'm' -> new ContactParser(line);
                case 'l' -> new ContentLengthParser(line);
                case 'c' -> new ContentTypeParser(line);
                default -> null;
            };
            case 2 -> named(header, "To") ? new ToParser(line) : null;
            case 3 -> named(header, "Via") ? new ViaParser(line) : null;
            case 4 -> named(header, "From") ? new FromParser(line) : named(header, "CSeq") ? new CSeqParser(line) : null;
            case 5 -> named(header, "Route") ? new RouteParser(line) : null;
            case 7 -> named(header, "Call-ID") ? new CallIDParser(line) : named(header, "Contact") ? new ContactParser(line)
                    : null;
            case 12 -> named(header, "Max-Forwards") ? new MaxForwardsParser(line)
                    : named(header, "Content-Type") ? new ContentTypeParser(line)
                    : named(header, "Record-Route") ? new RecordRouteParser(line) : null;
            case 14 -> named(header, "Content-Length") ? new ContentLengthParser(line) : null;
            default -> null;
        };
    }

    private static boolean named(String header, String name) {
        return header.regionMatches(true, 0, name, 0, name.length());
    }
}
