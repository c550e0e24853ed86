package io.sipvane.sip.stack;

import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.text.ParseException;

/**
 * The stack's message parsers (stack property {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}):
 * the stock parser ({@link DirectHeaderParsing}: the common headers' parsers made directly),
 * with every message it rejects, and every message the stack will drop or
 * refuse right after parsing, reported to {@link MalformedInput}. Every listener's channel,
 * UDP and TCP alike, parses through here, so this is the one place that sees them all; the
 * stack's own logging of the same failures is DEBUG only ({@link Slf4jStackLogger}).
 *
 * <p>Implementation note: every message the router receives is parsed here. Per message this
 * adds one small listener object and a handful of null checks on headers the parser has
 * already read; the accounting runs only for rejected messages.
 *
 * <p>The stack instantiates this class by name, hence public with a no-arg constructor;
 * {@link ProxyStack} finds the instance through the stack and hands it the accounting. Parsers
 * made before that read it when they fail, so none is left out.
 */
public final class CountingParsers implements MessageParserFactory {
    /** Set once by {@link #use} before the stack starts; null means nobody is counting (the test user agents). */
    private volatile MalformedInput malformed;

    public CountingParsers() {}

    void use(MalformedInput malformed) {
        this.malformed = malformed;
    }

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        MessageParser parser = new DirectHeaderParsing();
        return (bytes, readBody, strict, listener) -> parse(parser, bytes, readBody, strict, listener);
    }

    private SIPMessage parse(MessageParser parser, byte[] bytes, boolean readBody, boolean strict,
                             ParseExceptionListener listener) throws ParseException {
        SIPMessage message;
        HeaderErrors headers = listener == null ? null : new HeaderErrors(listener);
        try {
            message = parser.parseSIPMessage(bytes, readBody, strict, headers);
        } catch (ParseException e) {
            // the parser's own text is sometimes a char[]'s identity: name the header instead
            report(listener, headers != null && headers.fatal != null ? headers.fatal : e.getMessage(), bytes);
            throw e;
        } catch (RuntimeException e) {
            // the parser failing on hostile input is a rejection like any other; left to the
            // channel, it would log the whole receive buffer as a byte array at WARN
            report(listener, "parser failed: " + e, bytes);
            ParseException rejected = new ParseException("parser failed: " + e, 0);
            rejected.initCause(e);
            throw rejected;
        }
        if (message != null) {
            String missing = missingMandatoryHeader(message);
            if (missing != null) {
                // rejected here rather than left to the channel: the UDP channel reads the CSeq
                // before it checks for one, and a message without one ends in a NullPointerException
                report(listener, missing, bytes);
                throw new ParseException(missing, 0);
            }
            String problem = refusedAfterParsing(message);
            if (problem != null) {
                // the stack drops it, or answers it (400, 505) itself: counted, not changed
                report(listener, problem, bytes);
            }
        }
        return message;
    }

    /** The mandatory header (as the stack's channels check them) that {@code m} lacks, or null. */
    static String missingMandatoryHeader(SIPMessage m) {
        String name = m.getFrom() == null ? "From" : m.getTo() == null ? "To" : m.getCallId() == null ? "Call-ID"
                : m.getCSeq() == null ? "CSeq" : m.getViaHeaders() == null || m.getTopmostVia() == null ? "Via" : null;
        return name == null ? null : "missing " + name + " header";
    }

    /**
     * Why the stack's channels will refuse a message that parsed with its mandatory headers, or
     * null: a request whose CSeq names another method (400) or another SIP version (505), a
     * response missing what a response needs (dropped).
     */
    static String refusedAfterParsing(SIPMessage m) {
        if (m instanceof SIPRequest request) {
            String version = request.getRequestLine().getSipVersion();
            if (!"SIP/2.0".equals(version)) {
                return "unsupported version " + version;
            }
            if (!request.getMethod().equalsIgnoreCase(request.getCSeq().getMethod())) {
                return "method " + request.getMethod() + " but CSeq method " + request.getCSeq().getMethod();
            }
        } else if (m instanceof SIPResponse response) {
            try {
                response.checkHeaders();
            } catch (ParseException e) {
                return e.getMessage();
            }
        }
        return null;
    }

    /**
     * Passes the parser's header errors to the channel, which decides (a bad From, To, Via, CSeq,
     * Call-ID or Content-Length rejects the message; others are kept unparsed), and remembers
     * the header that rejected it, for the log line.
     */
    private static final class HeaderErrors implements ParseExceptionListener {
        private final ParseExceptionListener channel;
        String fatal;

        HeaderErrors(ParseExceptionListener channel) {
            this.channel = channel;
        }

        @Override
        @SuppressWarnings("rawtypes") // the interface's signature
        public void handleException(ParseException ex, SIPMessage message, Class headerClass, String header,
                                    String raw) throws ParseException {
            try {
                channel.handleException(ex, message, headerClass, header, raw);
            } catch (ParseException e) {
                boolean firstLine = headerClass == RequestLine.class || headerClass == StatusLine.class;
                fatal = (firstLine ? "bad first line " : "bad header ") + header;
                throw e;
            }
        }
    }

    private void report(ParseExceptionListener listener, String problem, byte[] bytes) {
        MalformedInput sink = malformed;
        if (sink == null) {
            return;
        }
        if (listener instanceof MessageChannel channel) {
            sink.reject(channel.getTransport(), channel.getPeerAddress(), problem, bytes);
        } else {
            sink.reject(null, null, problem, bytes);
        }
    }
}
