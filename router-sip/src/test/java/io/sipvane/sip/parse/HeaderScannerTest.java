package io.sipvane.sip.parse;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.parser.ParserFactory;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.sipvane.sip.testing.SameObjects;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What the scanner reads is what JAIN-SIP's own parsers build, object by object and field by
 * field: for the lines SIP endpoints send (each of which it must read), and for about 180,000
 * lines made from them by random edits, where whatever it reads must match and whatever it
 * does not read is left to the stock parser.
 */
class HeaderScannerTest {
    /** Lines as SIPp, JAIN-SIP, Kamailio, PBXs and sipvane itself write them. */
    static final List<String> COMMON = List.of(
            "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4711-1-0",
            "Via: SIP/2.0/UDP 127.0.0.1:35060;branch=z9hG4bK3a5b0c1d2e3f4a5b;rport=5061;received=127.0.0.2",
            "v: SIP/2.0/TCP proxy.example.com;branch=z9hG4bKnashds8;rport",
            "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKa, SIP/2.0/UDP 127.0.0.2:5061;branch=z9hG4bKb",
            "VIA: SIP/2.0/TLS host-1.example.org:5061;branch=z9hG4bK1;ttl=16;maddr=127.0.0.5",
            "Via :  SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds",
            "From: sipp <sip:sipp@127.0.0.1:5061>;tag=4711SIPpTag001",
            "From: \"Alice Smith\" <sip:alice@atlanta.example.com>;tag=1928301774",
            "f: <sip:+14155550123@127.0.0.1;user=phone>;tag=x",
            "From: sip:a@127.0.0.1;tag=88sja8x",
            "To: <sip:+14155550100@127.0.0.1:5060>",
            "To: sut <sip:+14155550100@127.0.0.1:5060>;tag=1234",
            "t: \"\" <sip:b@127.0.0.1>",
            "To: Bob <sip:bob@biloxi.example.com>",
            "Contact: sip:sipp@127.0.0.1:5061",
            "Contact: <sip:127.0.0.1:5071;transport=UDP>",
            "m: <sip:alice@pc33.atlanta.example.com>;expires=3600;q=0.7",
            "Contact: <sip:a@127.0.0.1>, <sip:b@127.0.0.2:5070;ob>",
            "Record-Route: <sip:127.0.0.1:35060;transport=udp;lr;svt=mE9q3-Yb_1kZ0xQw>",
            "Record-Route: <sip:127.0.0.1;lr>, <sip:127.0.0.2;lr;ftag=8a7b>",
            "Route: <sip:127.0.0.1:5060;lr>",
            "Route: <sip:p1.example.com;lr>,<sip:p2.example.com;lr>",
            "Call-ID: 1-4711@127.0.0.1",
            "i: a84b4c76e66710@pc33.atlanta.example.com",
            "CSeq: 1 INVITE",
            "CSeq: 2 BYE",
            "CSeq: 314159 ACK",
            "CSeq: 7 CANCEL",
            "CSeq: 1 OPTIONS",
            "Max-Forwards: 70",
            "Max-Forwards: 0",
            "Content-Length: 135",
            "l: 0");

    static final List<String> REQUEST_LINES = List.of(
            "INVITE sip:+14155550100@127.0.0.1:5060 SIP/2.0",
            "ACK sip:127.0.0.1:5071;transport=udp SIP/2.0",
            "BYE sip:sipp@127.0.0.1:5061 SIP/2.0",
            "OPTIONS sip:127.0.0.1:5071 SIP/2.0",
            "CANCEL sip:bob@biloxi.example.com SIP/2.0",
            "INVITE sip:+14155550100;npdi@127.0.0.1;user=phone SIP/2.0");

    static final List<String> STATUS_LINES = List.of(
            "SIP/2.0 100 Trying",
            "SIP/2.0 180 Ringing",
            "SIP/2.0 200 OK",
            "SIP/2.0 503 Service Unavailable",
            "SIP/2.0 486 Busy Here  ",
            "SIP/2.0 183",
            "SIP/2.0 200 Alles gut \u00fcberall");

    @Test
    void readsTheLinesEndpointsSend_intoWhatTheStockParsersBuild() throws Exception {
        for (String line : COMMON) {
            SIPHeader scanned = HeaderScanner.scan(CommonHeader.of(line), line);
            assertThat(scanned).as(line).isNotNull();
            assertThat(SameObjects.difference(stock(line), scanned)).as(line).isNull();
        }
        for (String line : REQUEST_LINES) {
            RequestLine scanned = HeaderScanner.requestLine(line);
            assertThat(scanned).as(line).isNotNull();
            assertThat(SameObjects.difference(new StringMsgParser().parseSIPRequestLine(line), scanned)).as(line).isNull();
        }
        for (String line : STATUS_LINES) {
            StatusLine scanned = HeaderScanner.statusLine(line);
            assertThat(scanned).as(line).isNotNull();
            assertThat(SameObjects.difference(new StringMsgParser().parseSIPStatusLine(line), scanned)).as(line).isNull();
        }
    }

    @Test
    void namesTheCSeqMethodWithTheVeryStringTheStockParserInterns() throws Exception {
        for (String line : List.of("CSeq: 1 INVITE", "CSeq: 2 BYE", "CSeq: 1 ACK", "CSeq: 3 CANCEL", "CSeq: 4 OPTIONS")) {
            CSeq scanned = (CSeq) HeaderScanner.scan(CommonHeader.CSEQ, line);
            assertThat(scanned.getMethod()).as(line).isSameAs(((CSeq) stock(line)).getMethod());
        }
    }

    @Test
    void leavesEveryOtherShapeToTheStockParser() {
        List<String> others = List.of(
                "Via: SIP/2.0/UDP [::1]:5060;branch=z9hG4bK1",
                "Via: SIP/2.0/UDP ::1;branch=z9hG4bK1",
                "Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1 (a comment)",
                "Via: SIP/2.0/UDP 127.0.0.1;branch",
                "Via: SIP / 2.0 / UDP 127.0.0.1;branch=z9hG4bK1",
                "Via: SIP/2.0/UDP 127.0.0.1 ;branch=z9hG4bK1",
                "Via: SIP/2.0/UDP 127.0.0.1;received=::1;branch=z9hG4bK1",
                "Via: SIP/2.0/UDP 127.0.0.1;x=\"quoted\";branch=z9hG4bK1",
                "From: <sips:a@127.0.0.1>;tag=1",
                "From: <tel:+14155550100>;tag=1",
                "From: <sip:a:secret@127.0.0.1>;tag=1",
                "From: <sip:%61@127.0.0.1>;tag=1",
                "From: \"A \\\"B\\\"\" <sip:a@127.0.0.1>;tag=1",
                "From: <sip:a@127.0.0.1?Subject=x>;tag=1",
                "From: <sip:a@127.0.0.1>;tag=\"1\"",
                "From: <sip:a@127.0.0.1>; tag=1",
                "From: <sip:a@127.0.0.1>, <sip:b@127.0.0.1>",
                "To: Bob: <sip:b@127.0.0.1>",
                "Contact: *",
                "Contact: * <sip:a@127.0.0.1>",
                "Contact: <sip:a@[::1]:5060>",
                "CSeq: 1 PRACK",
                "CSeq: 1invite",
                "CSeq: 99999999999 INVITE",
                "Max-Forwards: 256",
                "Content-Length: 1 2",
                "Content-Type: application/sdp");
        for (String line : others) {
            assertThat(HeaderScanner.scan(CommonHeader.of(line), line)).as(line).isNull();
        }
        for (String line : List.of("SIP/2.0  200 OK", "SIP/2.0 2000 OK", "SIP/2.0 20 OK", "SIP/2.0 200OK", "SIP/3.0 200 OK")) {
            assertThat(HeaderScanner.statusLine(line)).as(line).isNull();
        }
        for (String line : List.of("INVITE sips:b@127.0.0.1 SIP/2.0", "INFO sip:b@127.0.0.1 SIP/2.0",
                "INVITE sip:b@127.0.0.1 SIP/3.0", "INVITE sip:b@127.0.0.1?x=y SIP/2.0", "INVITE  sip:b@[::1] SIP/2.0")) {
            assertThat(HeaderScanner.requestLine(line)).as(line).isNull();
        }
    }

    @Test
    void whateverItReadsOfRandomlyEditedLines_isWhatTheStockParsersBuild() throws Exception {
        Random random = new Random(20261130);
        String edits = " \t;,:<>\"\\@=[]%?*/.-+_~aZ09\u00e9\u0000\r\n";
        int read = 0;
        int tried = 0;
        for (int round = 0; round < 4_000; round++) {
            for (String base : COMMON) {
                // past the header name: an edited name is another header, not this one
                String line = edit(base, base.indexOf(':') + 1, random, edits);
                CommonHeader kind = CommonHeader.of(line);
                if (kind != null) {
                    tried++;
                    read += readAsStock(line, l -> HeaderScanner.scan(kind, l), HeaderScannerTest::stock);
                }
            }
            for (String base : STATUS_LINES) {
                tried++;
                read += readAsStock(edit(base, 0, random, edits), HeaderScanner::statusLine,
                        l -> new StringMsgParser().parseSIPStatusLine(l));
            }
            for (String base : REQUEST_LINES) {
                tried++;
                read += readAsStock(edit(base, 0, random, edits), HeaderScanner::requestLine,
                        l -> new StringMsgParser().parseSIPRequestLine(l));
            }
        }
        // the edits leave many lines in a shape the scanner reads: the comparison is not empty
        assertThat(read).isGreaterThan(tried / 5);
    }

    private interface LineParser {
        Object parse(String line) throws Exception;
    }

    /** 1 if the scanner read {@code line} (into what the stock parser builds), 0 if it left it. */
    private static int readAsStock(String line, LineParser scanner, LineParser stock) throws Exception {
        Object scanned = scanner.parse(line);
        if (scanned == null) {
            return 0;
        }
        assertThat(SameObjects.difference(stock.parse(line), scanned)).as(line).isNull();
        return 1;
    }

    /** One to three random insertions, replacements or deletions from {@code from} on. */
    private static String edit(String base, int from, Random random, String edits) {
        StringBuilder line = new StringBuilder(base);
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count && line.length() > from; i++) {
            int at = from + random.nextInt(line.length() - from);
            char c = edits.charAt(random.nextInt(edits.length()));
            switch (random.nextInt(3)) {
                case 0 -> line.insert(at, c);
                case 1 -> line.setCharAt(at, c);
                default -> line.deleteCharAt(at);
            }
        }
        return line.toString();
    }

    private static SIPHeader stock(String line) throws Exception {
        return ParserFactory.createParser(line + "\n").parse();
    }
}
