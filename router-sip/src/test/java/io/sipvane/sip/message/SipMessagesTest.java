package io.sipvane.sip.message;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.sipvane.core.config.ListenAddress;
import io.sipvane.sip.testing.SameObjects;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.sip.header.Header;
import javax.sip.message.Message;
import org.junit.jupiter.api.Test;

class SipMessagesTest {
    private static final ListenAddress PBX_SIDE = ListenAddress.parse("udp:127.0.0.2:5060");
    private static final ListenAddress TLS_EDGE = ListenAddress.parse("tls:127.0.0.1:5061");

    private final SipMessages messages = new SipMessages(new AddressFactoryImpl(), new HeaderFactoryImpl(), new MessageFactoryImpl());

    /** An INVITE as a caller sends it, then with some Vias and Record-Routes on it already, and a response. */
    private static final List<String> MESSAGES = List.of(
            """
            INVITE sip:14155550100@127.0.0.1 SIP/2.0\r
            Via: SIP/2.0/UDP 127.0.0.1:35099;branch=z9hG4bK-1;rport\r
            From: <sip:caller@127.0.0.1>;tag=a1\r
            To: <sip:14155550100@127.0.0.1>\r
            Call-ID: 1-24701@127.0.0.1\r
            CSeq: 1 INVITE\r
            Max-Forwards: 70\r
            Content-Length: 0\r
            \r
            """,
            """
            BYE sip:pbx@127.0.0.3:5080 SIP/2.0\r
            Via: SIP/2.0/UDP 127.0.0.9:5060;branch=z9hG4bK-2, SIP/2.0/TCP 127.0.0.8;branch=z9hG4bK-3\r
            Via: SIP/2.0/UDP 127.0.0.7:5062;branch=z9hG4bK-4;received=127.0.0.7\r
            Record-Route: <sip:127.0.0.6;lr>\r
            Record-Route: <sip:127.0.0.5;lr;transport=tcp>, <sip:127.0.0.4;lr>\r
            From: <sip:caller@127.0.0.1>;tag=a1\r
            To: <sip:14155550100@127.0.0.1>;tag=b2\r
            Call-ID: 1-24701@127.0.0.1\r
            CSeq: 2 BYE\r
            Content-Length: 0\r
            \r
            """,
            """
            SIP/2.0 180 Ringing\r
            Via: SIP/2.0/UDP 127.0.0.1:35099;branch=z9hG4bK-1;rport=35099\r
            From: <sip:caller@127.0.0.1>;tag=a1\r
            To: <sip:14155550100@127.0.0.1>;tag=b2\r
            Call-ID: 1-24701@127.0.0.1\r
            CSeq: 1 INVITE\r
            Content-Length: 0\r
            \r
            """);

    @Test
    void addOnTop_leavesExactlyWhatAddFirstLeaves() throws Exception {
        for (String text : MESSAGES) {
            for (Header header : List.of(messages.via(PBX_SIDE, "z9hG4bK-ours"), messages.via(TLS_EDGE, "z9hG4bK-edge"),
                    messages.recordRoute(PBX_SIDE, "token-1"), messages.recordRoute(TLS_EDGE, "token-2"),
                    messages.allow())) {
                Message stock = parse(text);
                Message ours = parse(text);
                stock.addFirst((Header) header.clone());
                SipMessages.addOnTop(ours, (Header) header.clone());

                assertThat(SameObjects.difference(stock, ours)).as(header + " on " + text).isNull();
                assertThat(ours.toString()).isEqualTo(stock.toString());
            }
        }
    }

    @Test
    void addOnTop_twice_putsTheSecondAboveTheFirst() throws Exception {
        Message stock = parse(MESSAGES.get(0));
        Message ours = parse(MESSAGES.get(0));
        for (ListenAddress leg : List.of(TLS_EDGE, PBX_SIDE)) {
            stock.addFirst(messages.recordRoute(leg, "token"));
            SipMessages.addOnTop(ours, messages.recordRoute(leg, "token"));
        }

        assertThat(SameObjects.difference(stock, ours)).isNull();
        assertThat(ours.toString()).contains("Record-Route: <sip:127.0.0.2:5060;lr;transport=udp;svt=token>,"
                + "<sip:127.0.0.1:5061;lr;transport=tls;svt=token>");
    }

    @Test
    void addVia_putsOursOnTop() throws Exception {
        Message request = parse(MESSAGES.get(1));

        messages.addVia((javax.sip.message.Request) request, PBX_SIDE, "z9hG4bK-ours");

        assertThat(request.toString()).contains("Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-ours,"
                + "SIP/2.0/UDP 127.0.0.9:5060;branch=z9hG4bK-2,");
    }

    @Test
    void sipUri_isTheUriTheFactoryParses() throws Exception {
        AddressFactoryImpl factory = new AddressFactoryImpl();
        List<String> users = java.util.Arrays.asList(null, "14155550100", "+14155550100", "alice", "a.b-c_d", "Alice",
                "a;b", "a%20b", "a@b", "");
        List<String> hosts = List.of("127.0.0.1", "pbx.example.com", "PBX.Example.COM", "pbx-1", "10.0.0.255", "[::1]", "::1",
                "host_name", "1.2.3");
        for (String user : users) {
            for (String host : hosts) {
                String what = user + " @ " + host;
                Object stock;
                try {
                    stock = factory.createSipURI(user, host);
                } catch (java.text.ParseException e) {
                    stock = e.getClass();
                }
                Object ours;
                try {
                    ours = messages.sipUri(user, host);
                } catch (java.text.ParseException e) {
                    ours = e.getClass();
                }
                assertThat(SameObjects.difference(stock, ours)).as(what).isNull();
                assertThat(String.valueOf(ours)).as(what).isEqualTo(String.valueOf(stock));
            }
        }
    }

    private static SIPMessage parse(String text) throws Exception {
        return new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, null);
    }
}
