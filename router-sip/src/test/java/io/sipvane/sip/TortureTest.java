package io.sipvane.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/**
 * RFC 4475 torture messages (addresses rewritten to 127/8, see the data README) over UDP and
 * TCP: none may stop the router, and a normal call must still go through afterwards.
 */
class TortureTest {
    /** The shared test data; the path can be overridden for other checkouts. */
    static final Path DATA = Path.of(System.getProperty("sipvane.rfc4475",
            "/work/shared/testdata/rfc4475"));

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
            for (Path file : files) {
                byte[] bytes = Files.readAllBytes(file);
                udp.send(new DatagramPacket(bytes, bytes.length, target));
                try (Socket tcp = new Socket()) {
                    tcp.connect(target, 5000);
                    OutputStream out = tcp.getOutputStream();
                    out.write(bytes);
                    out.flush();
                }
            }

            TestUa.Call call = caller.invite(router.callee(), router.port, "udp");
            assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);
            assertThat(call.inDialog(Request.BYE).awaitFinal().getStatusCode()).isEqualTo(200);
        }
    }
}
