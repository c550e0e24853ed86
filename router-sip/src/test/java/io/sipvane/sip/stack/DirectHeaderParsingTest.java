package io.sipvane.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.sipvane.sip.testing.SameObjects;
import io.sipvane.sip.testing.SipFuzzer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The direct parsing gives what the stock parser gives: the same message, object by object
 * and field by field, encoded the same, and the same header errors, over RFC 4475's torture
 * messages, messages that use every header it short-cuts, in long and compact form, cased
 * and spaced oddly, and thousands of mutated messages.
 */
class DirectHeaderParsingTest {

    @Test
    void parsesEveryTortureMessageAsTheStockParserDoes() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(TortureTest.DATA)) {
            files = s.filter(p -> p.toString().endsWith(".dat")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(40);
        for (Path file : files) {
            assertSameAsStock(file.getFileName().toString(), Files.readAllBytes(file));
        }
    }

    @Test
    void parsesTheCommonHeaders_longCompactOddlyCasedAndSpaced_asTheStockParserDoes() throws Exception {
        String body = "v=0\r\n";
        String[] messages = {
            "INVITE sip:+14155550100@127.0.0.1 SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1;rport\r\n"
                    + "via : SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK0, SIP/2.0/TCP 127.0.0.3;branch=z9hG4bKx\r\n"
                    + "Max-Forwards: 70\r\nRoute: <sip:127.0.0.1;lr>\r\nRECORD-ROUTE: <sip:127.0.0.9;lr>\r\n"
                    + "From: \"A\" <sip:a@127.0.0.1>;tag=1\r\nTo:<sip:+14155550100@127.0.0.1>\r\n"
                    + "Call-ID: abc@127.0.0.1\r\nCSeq: 1 INVITE\r\nContact: <sip:a@127.0.0.1:5070>;expires=60\r\n"
                    + "Subject: hello\r\nContent-Type: application/sdp\r\nContent-Length: " + body.length() + "\r\n\r\n" + body,
            "INVITE sip:b@127.0.0.1 SIP/2.0\r\nv: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK2\r\nf: <sip:a@127.0.0.1>;tag=2\r\n"
                    + "t: <sip:b@127.0.0.1>\r\ni: compact@127.0.0.1\r\nCSeq: 2 INVITE\r\nm: <sip:a@127.0.0.1>\r\n"
                    + "c: application/sdp\r\nk: 100rel\r\nl: " + body.length() + "\r\n\r\n" + body,
            "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK3\r\nFrom: <sip:a@127.0.0.1>;tag=3\r\n"
                    + "To: <sip:b@127.0.0.1>;tag=4\r\nCall-ID: r@127.0.0.1\r\nCSeq: 3 INVITE\r\n"
                    + "Record-Route: <sip:127.0.0.1;lr>, <sip:127.0.0.2;lr>\r\nContent-Length: 0\r\n\r\n",
            // broken values in the short-cut headers: the same errors
            "INVITE sip:b@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK5\r\nFrom: <sip:a@127.0.0.1>;tag=5\r\n"
                    + "To: <sip:b@127.0.0.1>\r\nCall-ID: e@127.0.0.1\r\nCSeq: 5 INVITE\r\nMax-Forwards: many\r\n"
                    + "Contact: <sip:a@[broken>\r\nRoute: nonsense\r\nContent-Length: 0\r\n\r\n",
            "INVITE sip:b@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK6\r\nFrom: <sip:a@127.0.0.1>;tag=6\r\n"
                    + "To: <sip:b@127.0.0.1>\r\nCall-ID: e2@127.0.0.1\r\nCSeq: x INVITE\r\nContent-Length: 0\r\n\r\n",
        };
        for (int i = 0; i < messages.length; i++) {
            assertSameAsStock("message " + i, messages[i].getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void parsesMutatedMessagesAsTheStockParserDoes() {
        SipFuzzer fuzzer = new SipFuzzer(20261130, 5060);
        for (int i = 0; i < 5_000; i++) {
            assertSameAsStock("mutated message " + i, fuzzer.next(i % 2 == 0 ? "UDP" : "TCP", 5070));
        }
    }

    private static void assertSameAsStock(String name, byte[] bytes) {
        Outcome stock = parse(new StringMsgParser(), bytes);
        Outcome direct = parse(new DirectHeaderParsing(), bytes);
        assertThat(direct).as(name).isEqualTo(stock);
        assertThat(SameObjects.difference(stock.message, direct.message)).as(name).isNull();
    }

    private static Outcome parse(StringMsgParser parser, byte[] bytes) {
        List<String> headerErrors = new ArrayList<>();
        ParseExceptionListener listener = (ex, message, headerClass, header, raw) ->
                // no header class when the stock parser finds no parser for the name; the stock
                // messages sometimes hold a char[]'s identity, different in every run
                headerErrors.add((headerClass == null ? "(no class)" : headerClass.getSimpleName()) + " " + header + ": "
                        + String.valueOf(ex.getMessage()).replaceAll("\\[C@[0-9a-f]+", "[C@"));
        try {
            SIPMessage m = parser.parseSIPMessage(bytes.clone(), true, false, listener);
            return new Outcome(m, m == null ? null : m.encode(), headerErrors, null);
        } catch (ParseException e) {
            return new Outcome(null, null, headerErrors, e.getClass().getName() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // the class only: once compiled, a site that keeps throwing throws a preallocated
            // exception without a message
            return new Outcome(null, null, headerErrors, e.getClass().getName());
        }
    }

    /** What a parse gave; equal when all but the message object are (that one is compared field by field). */
    private record Outcome(SIPMessage message, String encoded, List<String> headerErrors, String failure) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Outcome other && java.util.Objects.equals(encoded, other.encoded)
                    && headerErrors.equals(other.headerErrors) && java.util.Objects.equals(failure, other.failure);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(encoded, headerErrors, failure);
        }

        @Override
        public String toString() {
            return "encoded=" + encoded + ", headerErrors=" + headerErrors + ", failure=" + failure;
        }
    }
}
