package io.sipvane.core.uri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipvane.core.model.Transport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SipUriTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // the seeds' "URI Format Examples" table
            "192.168.1.100                         | false | -        | 192.168.1.100   | 0    | -   | sip:192.168.1.100",
            "192.168.1.100:5060                    | false | -        | 192.168.1.100   | 5060 | -   | sip:192.168.1.100:5060",
            "sip.example.com                       | false | -        | sip.example.com | 0    | -   | sip:sip.example.com",
            "sip.example.com:5060                  | false | -        | sip.example.com | 5060 | -   | sip:sip.example.com:5060",
            "sip:pbx@example.com                   | false | pbx      | example.com     | 0    | -   | sip:pbx@example.com",
            // the Vobiz forms
            "sip:provider@sip.example.com:5060     | false | provider | sip.example.com | 5060 | -   | sip:provider@sip.example.com:5060",
            "sip:10.0.0.1:5060                     | false | -        | 10.0.0.1        | 5060 | -   | sip:10.0.0.1:5060",
            "sip:sbc1.example.com                  | false | -        | sbc1.example.com| 0    | -   | sip:sbc1.example.com",
            // parameters, sips, case, IPv6, trailing dot
            "sip:+14155550100@pbx.example.com:5080;transport=tcp | false | +14155550100 | pbx.example.com | 5080 | TCP | sip:+14155550100@pbx.example.com:5080;transport=tcp",
            "SIP:PBX.Example.COM;transport=UDP;lr  | false | -        | pbx.example.com | 0    | UDP | sip:pbx.example.com;transport=udp",
            "sips:secure.example.com:5061          | true  | -        | secure.example.com | 5061 | - | sips:secure.example.com:5061",
            "sips:alice@secure.example.com;transport=tls | true | alice | secure.example.com | 0 | TLS | sips:alice@secure.example.com;transport=tls",
            "[2001:db8::1]:5060                    | false | -        | [2001:db8::1]   | 5060 | -   | sip:[2001:db8::1]:5060",
            "sip:[::1]                             | false | -        | [::1]           | 0    | -   | sip:[::1]",
            "sip:user@[2001:DB8:0:0:0:0:0:1]:5062  | false | user     | [2001:db8:0:0:0:0:0:1] | 5062 | - | sip:user@[2001:db8:0:0:0:0:0:1]:5062",
            "sip:[::ffff:127.0.0.1]:5060           | false | -        | [::ffff:127.0.0.1] | 5060 | - | sip:[::ffff:127.0.0.1]:5060",
            "localhost                             | false | -        | localhost       | 0    | -   | sip:localhost",
            "pbx.example.com.                      | false | -        | pbx.example.com.| 0    | -   | sip:pbx.example.com.",
    })
    void parse_acceptsEveryDocumentedForm(String text, boolean secure, String user, String host, int port,
            Transport transport, String canonical) {
        SipUri uri = SipUri.parse(text);
        assertThat(uri.secure()).isEqualTo(secure);
        assertThat(uri.user()).isEqualTo(user);
        assertThat(uri.host()).isEqualTo(host.strip());
        assertThat(uri.port()).isEqualTo(port);
        assertThat(uri.transport()).isEqualTo(transport);
        assertThat(uri.toString()).isEqualTo(canonical);
        assertThat(SipUri.parse(uri.toString())).isEqualTo(uri);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(delimiter = '|', value = {
            "''                          | is empty",
            "'   '                       | is empty",
            "sip:                        | has no host",
            "sips:                       | has no host",
            "sip:alice@                  | has no host",
            "sip:@example.com            | has an empty user part",
            "example.com:                | has port \"\"",
            "example.com:0               | has port 0",
            "example.com:65536           | has port 65536",
            "example.com:50a0            | has port \"50a0\"",
            "2001:db8::1                 | looks like an IPv6 address",
            "[2001:db8::1                | without its closing ']'",
            "[2001:db8::zz]:5060         | invalid IPv6 address",
            "[1:2:3:4:5:6:7:8:9]         | invalid IPv6 address",
            "[2001:db8::1]x              | after the IPv6 address",
            "http://example.com          | unsupported scheme",
            "tel:+14155550100            | unsupported scheme",
            "sip:example.com;transport=sctp | transport=sctp",
            "sip:example.com?subject=x   | URI headers",
            "sips:example.com;transport=udp | sips: over udp",
            "exa mple.com                | whitespace",
            "sip:exa_mple.com            | invalid character '_'",
            "sip:-example.com            | starting or ending with '-'",
            "sip:example..com            | empty label",
            "sip:256.1.1.1               | not a valid IPv4 address",
            "sip:1.2.3                   | not a valid IPv4 address",
            "sip:user:secret@example.com | passwords in URIs",
            "sip:example.com;;lr         | empty parameter",
    })
    void parse_rejectsGarbageSayingWhatIsWrong(String text, String problem) {
        assertThatThrownBy(() -> SipUri.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("uri: ")
                .hasMessageContaining(problem);
    }

    @ParameterizedTest
    @CsvSource({"sip:example.com, UDP, 5060", "sip:example.com, TLS, 5061", "sip:example.com:5080, TCP, 5080"})
    void portOr_fallsBackToTheTransportDefault(String text, Transport transport, int expected) {
        assertThat(SipUri.parse(text).portOr(transport)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"sip:10.0.0.1, true", "sip:[::1], true", "sip:pbx.example.com, false", "sip:localhost, false"})
    void hostIsIpLiteral_onlyForAddresses(String text, boolean literal) {
        assertThat(SipUri.parse(text).hostIsIpLiteral()).isEqualTo(literal);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, true", "[::1], true", "256.0.0.1, false", "1.2.3, false", "pbx.example.com, false",
            "10.0.0.1a, false"})
    void isIpLiteral_onBareHosts(String host, boolean literal) {
        assertThat(SipUri.isIpLiteral(host)).isEqualTo(literal);
    }
}
