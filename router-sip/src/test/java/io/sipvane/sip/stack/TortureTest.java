package io.sipvane.sip.stack;

import io.sipvane.sip.testing.TestUa;
import io.sipvane.sip.testing.TestRouter;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 4475 torture messages (addresses rewritten to 127/8, see the data README) over UDP and
 * TCP: none may stop the router, and a normal call must still go through afterwards.
 */
class TortureTest {
    private static final Logger LOG = LoggerFactory.getLogger(TortureTest.class);

    /** The RFC 4475 messages, kept with the tests (see the README beside them). */
    static final Path DATA = Path.of(System.getProperty("sipvane.rfc4475", "src/test/resources/rfc4475"));

    @Test
    void tortureMessages_leaveRouterRouting() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(DATA)) {
            files = s.filter(p -> p.toString().endsWith(".dat")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(40);

        try (TestUa pbx = TestUa.start("pbx").script(180, 200);
             TestRouter router = TestRouter.builder().defaultTrunk().dest(pbx.uri(), 1, 10).start();
             TestUa caller = TestUa.start("caller");
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", router.port);
            Map<String, String> byCallId = new TreeMap<>();
            for (Path file : files) {
                byte[] bytes = Files.readAllBytes(file);
                String name = file.getFileName().toString().replace(".dat", "");
                // as is over TCP, one connection each
                try (Socket tcp = new Socket()) {
                    tcp.connect(target, 5000);
                    OutputStream out = tcp.getOutputStream();
                    out.write(bytes);
                    out.flush();
                }
                // over UDP with the top Via pointing at our socket, so that answers come back to us
                String text = new String(bytes, StandardCharsets.ISO_8859_1);
                String callId = header(text, "Call-ID", "i");
                if (callId != null) {
                    byCallId.put(callId, name);
                }
                byte[] redirected = VIA_SENT_BY.matcher(text).replaceFirst("$1127.0.0.1:" + udp.getLocalPort())
                        .getBytes(StandardCharsets.ISO_8859_1);
                udp.send(new DatagramPacket(redirected, redirected.length, target));
            }
            Map<String, String> answers = new TreeMap<>();
            // read until the answers stop coming (1 s quiet, once zeromf's 483 is in), 20 s at most
            udp.setSoTimeout(1000);
            long deadline = System.currentTimeMillis() + 20_000;
            byte[] buf = new byte[65536];
            while (System.currentTimeMillis() < deadline) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    udp.receive(p);
                } catch (SocketTimeoutException e) {
                    if (answers.containsKey("zeromf")) {
                        break;
                    }
                    continue;
                }
                String response = new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
                String name = byCallId.get(header(response, "Call-ID", "i"));
                String status = response.substring(0, Math.max(0, response.indexOf("\r\n")));
                if (name != null && status.startsWith("SIP/2.0 ") && !status.startsWith("SIP/2.0 100")) {
                    answers.putIfAbsent(name, status);
                }
            }
            LOG.info("RFC 4475 answers: {}", answers);
            assertThat(answers.get("zeromf")).startsWith("SIP/2.0 483");
            // lwsstart (extra spaces around the Request-URI) is left out: JAIN-SIP's parser accepts
            // it, so it is routed like any INVITE; harmless, and nothing a proxy sees to reject it by.
            // baddate too: its only fault is a Date header, which a proxy does not read, and RFC 4475
            // (3.1.2.16) lets an element ignore it; it reached no answer here only while the stack kept
            // the TCP copy's ended transaction around long enough to swallow the UDP copy
            for (String invalid : List.of("badinv01", "clerr", "scalar02", "quotbal", "ltgtruri", "lwsruri",
                    "trws", "escruri", "regbadct", "badaspec", "baddn", "badvers",
                    "mismatch01", "mismatch02", "bigcode")) {
                // rejected (4xx) or dropped: never routed to a 2xx, never a server error of ours
                String line = answers.get(invalid);
                assertThat(line == null || line.startsWith("SIP/2.0 4")).as("%s answered %s", invalid, line).isTrue();
            }

            TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
            assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);
            assertThat(call.inDialog(Request.BYE).awaitFinal().getStatusCode()).isEqualTo(200);
        }
    }

    /** The top Via of a UDP message, up to its sent-by. */
    private static final Pattern VIA_SENT_BY = Pattern.compile(
            "(?im)^((?:Via|v)[ \\t]*:[ \\t]*SIP[ \\t]*/[ \\t]*2\\.0[ \\t]*/[ \\t]*UDP[ \\t]+)[^;\\s,]+");

    /** The value of a header by long or compact name, or null. */
    private static String header(String message, String name, String compact) {
        for (String line : message.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String n = line.substring(0, colon).trim();
                if (n.equalsIgnoreCase(name) || n.equalsIgnoreCase(compact)) {
                    return line.substring(colon + 1).trim();
                }
            }
            if (line.isEmpty()) {
                break;
            }
        }
        return null;
    }
}
