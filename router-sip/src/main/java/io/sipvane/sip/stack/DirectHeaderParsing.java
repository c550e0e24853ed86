package io.sipvane.sip.stack;

import gov.nist.javax.sip.header.ExtensionHeaderImpl;
import gov.nist.javax.sip.header.NameMap;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
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
import io.sipvane.sip.parse.CommonHeader;
import io.sipvane.sip.parse.HeaderScanner;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import javax.sip.InvalidArgumentException;
import javax.sip.header.ContentLengthHeader;

/**
 * The stack's message parser, with the headers every call carries (Via, From, To, Call-ID,
 * CSeq, Max-Forwards, Contact, Route, Record-Route, Content-Type and Content-Length, long and
 * compact names), request lines and status lines read directly: in their common shapes by
 * {@link HeaderScanner}, in any other by the stock parser of that header, made without the
 * stock lookup. Any other header goes the stock way. What a message parses into, or fails
 * with, is unchanged (tested against the stock parser).
 *
 * <p>Implementation note: JAIN-SIP finds a header's parser per header line by cutting the
 * name and the value into new strings, lower-casing the name through a concurrent map, looking
 * the class up in a synchronized {@code Hashtable} and its constructor in another map, and
 * calling it reflectively; the parser then runs a lexer over the line. Here the name is
 * compared in place, and the common shapes are read in one pass.
 */
final class DirectHeaderParsing extends StringMsgParser {

    @Override
    protected SIPMessage processFirstLine(String firstLine, ParseExceptionListener listener, byte[] raw)
            throws ParseException {
        StatusLine statusLine = HeaderScanner.statusLine(firstLine);
        if (statusLine != null) {
            SIPResponse response = new SIPResponse();
            response.setStatusLine(statusLine);
            return response;
        }
        RequestLine requestLine = HeaderScanner.requestLine(firstLine);
        if (requestLine != null) {
            SIPRequest request = new SIPRequest();
            request.setRequestLine(requestLine);
            return request;
        }
        return super.processFirstLine(firstLine, listener, raw);
    }

    @Override
    protected void processHeader(String header, SIPMessage message, ParseExceptionListener listener, byte[] raw)
            throws ParseException {
        CommonHeader kind = header == null ? null : CommonHeader.of(header);
        if (kind == null) {
            super.processHeader(header, message, listener, raw);
            return;
        }
        if (kind == CommonHeader.CONTENT_LENGTH && setContentLength(header, message)) {
            return;
        }
        SIPHeader scanned = HeaderScanner.scan(kind, header);
        if (scanned != null) {
            message.attachHeader(scanned, false);
            return;
        }
        try {
            message.attachHeader(stockParser(kind, header + "\n").parse(), false);
        } catch (ParseException e) {
            // as the stock parser: the listener decides; without one the header is left out
            if (listener != null) {
                Class<?> headerClass = NameMap.getClassFromName(Lexer.getHeaderName(header));
                listener.handleException(e, message, headerClass == null ? ExtensionHeaderImpl.class : headerClass, header,
                        new String(raw, StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Sets the length a common-shaped Content-Length line gives on the message's own header.
     * A message has one from birth, and attaching a parsed one only copies its value into it
     * ({@code SIPMessage.attachHeader}): the header object would be made for nothing.
     */
    private static boolean setContentLength(String header, SIPMessage message) {
        int length = HeaderScanner.contentLength(header);
        ContentLengthHeader own = message.getContentLength();
        if (length < 0 || own == null) {
            return false;
        }
        try {
            own.setContentLength(length);
        } catch (InvalidArgumentException e) {
            return false;
        }
        return true;
    }

    /** The stock parser of a common header, made directly. */
    static HeaderParser stockParser(CommonHeader kind, String line) {
        return switch (kind) {
            case VIA -> new ViaParser(line);
            case FROM -> new FromParser(line);
            case TO -> new ToParser(line);
            case CALL_ID -> new CallIDParser(line);
            case CSEQ -> new CSeqParser(line);
            case MAX_FORWARDS -> new MaxForwardsParser(line);
            case CONTACT -> new ContactParser(line);
            case ROUTE -> new RouteParser(line);
            case RECORD_ROUTE -> new RecordRouteParser(line);
            case CONTENT_TYPE -> new ContentTypeParser(line);
            case CONTENT_LENGTH -> new ContentLengthParser(line);
        };
    }
}
