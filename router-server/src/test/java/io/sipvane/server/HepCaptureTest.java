package io.sipvane.server;

import static io.sipvane.sip.testing.Sipp.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.sip.testing.Sipp;
import io.sipvane.sip.testing.Sipp.Uas;
import io.sipvane.sip.testing.TestUa;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP capture checked by a collector nobody on the project wrote: Debian's {@code sngrep}
 * listens for HEP ({@code -L}) and saves what it decodes as a pcap ({@code -O}); the pcap
 * must hold the INVITE, the 100/180/200 and the BYE of a SIPp call, on both legs, with the
 * addresses they really travelled between.
 */
class HepCaptureTest {
    @TempDir
    Path dir;
    private Sipp sipp;

    @BeforeEach
    void startSipp() {
        sipp = new Sipp(dir);
    }

    @AfterEach
    void stopSipp() throws InterruptedException {
        sipp.close();
    }

    @Test
    void sngrepDecodesEveryMessageOfACallOnBothLegs() throws Exception {
        String sngrep = Sipp.locate("sngrep");
        assertThat(sngrep).as("sngrep not found on PATH (install Debian package sngrep)").isNotNull();
        int hepPort = TestUa.freePort();
        Path pcap = dir.resolve("capture.pcap");
        Process collector = sipp.start(dir.resolve("sngrep.out"), sngrep, "-N", "-q", "-L", "udp:127.0.0.1:" + hepPort,
                "-O", pcap.toString());
        await("sngrep listening on UDP " + hepPort, () -> !udpPortFree(hepPort));
        Uas pbx = sipp.uas("pbx", "uas_trying.xml");
        int port = TestUa.freePort();
        Path config = dir.resolve("sipvane.yaml");
        Files.writeString(config, """
                sip:
                  listen: ["udp:127.0.0.1:%d"]
                admin: { listen: "127.0.0.1:0" }
                health: { probing: false }
                capture: { hep: "udp:127.0.0.1:%d", agent_id: 7 }
                accounts: [ { auth_id: MAHEPCAPTURE00000001, auth_token: "t" } ]
                trunks: [ { id: 7f0c1f5e-0000-4000-8000-000000000001, account_id: MAHEPCAPTURE00000001, match: { default: true } } ]
                origination_uris:
                  - { id: aabbccdd-0000-4000-8000-000000000001, account_id: MAHEPCAPTURE00000001, uri: "%s" }
                """.formatted(port, hepPort, pbx.uri()));
        Path log = dir.resolve("router.log");
        // the readable trace on as an operator turns it on: one logger at DEBUG
        Path logback = dir.resolve("logback.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%level %logger - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="gov.nist" level="WARN"/>
                  <logger name="io.sipvane.sip.trace" level="DEBUG"/>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process router = sipp.start(log, java, "-Djava.net.preferIPv4Stack=true", "-Dlogback.configurationFile=" + logback, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--config", config.toString());
        await("router ready, log:\n" + Sipp.tail(log), () -> {
            assertThat(router.isAlive()).as("router running, log:\n" + Sipp.tail(log)).isTrue();
            return Files.exists(log) && Sipp.tail(log).contains("sipvane ready");
        });

        assertThat(sipp.runUac(port, 1, 1).get("SuccessfulCall(C)")).isEqualTo(1);
        await("the PBX's call ended", () -> Sipp.count(pbx, "SuccessfulCall(C)") == 1);
        List<Packet> packets = new ArrayList<>();
        await("sngrep saved the BYE's 200 on both legs", () -> {
            packets.clear();
            packets.addAll(read(pcap));
            return packets.stream().filter(p -> p.startsWith("SIP/2.0 200") && p.text.contains(" BYE")).count() >= 2;
        });
        collector.destroy();
        collector.waitFor(10, TimeUnit.SECONDS);

        String proxy = "127.0.0.1:" + port;
        String seen = packets.stream().map(Packet::toString).reduce("", (a, p) -> a + "\n" + p);
        String callee = "127.0.0.1:" + pbx.port();
        // caller leg: SIPp's UAC <-> the router; callee leg: the router <-> the PBX
        assertThat(packets).as("INVITE in from the caller").anyMatch(p -> p.startsWith("INVITE ") && p.dst.equals(proxy));
        assertThat(packets).as("INVITE out to the PBX").anyMatch(p -> p.startsWith("INVITE ") && p.dst.equals(callee));
        assertThat(packets).as("100 to the caller, captured:" + seen).anyMatch(p -> p.startsWith("SIP/2.0 100") && p.src.equals(proxy));
        assertThat(packets).as("100 from the PBX").anyMatch(p -> p.startsWith("SIP/2.0 100") && p.src.equals(callee));
        for (String code : new String[] {"180", "200"}) {
            assertThat(packets).as(code + " from the PBX").anyMatch(p -> p.startsWith("SIP/2.0 " + code) && p.src.equals(callee)
                    && p.text.contains(" INVITE"));
            assertThat(packets).as(code + " to the caller").anyMatch(p -> p.startsWith("SIP/2.0 " + code) && p.src.equals(proxy)
                    && !p.dst.equals(callee) && p.text.contains(" INVITE"));
        }
        assertThat(packets).as("BYE in from the caller").anyMatch(p -> p.startsWith("BYE ") && p.dst.equals(proxy));
        assertThat(packets).as("BYE out to the PBX").anyMatch(p -> p.startsWith("BYE ") && p.dst.equals(callee));

        // the same messages, one readable line each, in the router's log
        List<String> trace = Files.readAllLines(log).stream().filter(l -> l.startsWith("DEBUG io.sipvane.sip.trace")).toList();
        assertThat(trace).anyMatch(l -> l.contains("received INVITE sip:14155550100@" + proxy) && l.endsWith(" -> " + proxy
                + " Call-ID " + l.substring(l.indexOf("Call-ID ") + 8, l.indexOf(" CSeq")) + " CSeq 1 INVITE"));
        assertThat(trace).anyMatch(l -> l.contains("sent INVITE sip:14155550100@" + callee) && l.contains(" -> " + callee));
        assertThat(trace).anyMatch(l -> l.contains("sent BYE ") && l.contains(" -> " + callee));
        assertThat(trace).as("one line per message of one call").hasSizeBetween(14, 30);
    }

    private static boolean udpPortFree(int port) {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(port, java.net.InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** One packet of the pcap: its IPv4/UDP source and destination and its SIP text. */
    record Packet(String src, String dst, String text) {
        @Override
        public String toString() {
            return src + " -> " + dst + " " + text.lines().findFirst().orElse("");
        }

        boolean startsWith(String prefix) {
            return text.startsWith(prefix);
        }
    }

    /** The IPv4 UDP packets of a classic pcap file (Ethernet, Linux cooked or raw IP link). */
    static List<Packet> read(Path pcap) {
        List<Packet> out = new ArrayList<>();
        byte[] bytes;
        try {
            bytes = Files.exists(pcap) ? Files.readAllBytes(pcap) : new byte[0];
        } catch (java.io.IOException e) {
            return out;
        }
        if (bytes.length < 24) {
            return out;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0xa1b2c3d4) {
            b.order(ByteOrder.BIG_ENDIAN);
        }
        int link = b.getInt(20);
        int ipOffset = switch (link) {
            case 1 -> 14;      // Ethernet
            case 113 -> 16;    // Linux cooked
            case 276 -> 20;    // Linux cooked v2
            default -> 0;      // raw IP (101, 228, 12)
        };
        int pos = 24;
        while (pos + 16 <= bytes.length) {
            int length = b.getInt(pos + 8);
            int start = pos + 16;
            if (start + length > bytes.length) {
                break; // still being written
            }
            int ip = start + ipOffset;
            if ((bytes[ip] >> 4) == 4 && bytes[ip + 9] == 17) {
                int ihl = (bytes[ip] & 0x0F) * 4;
                int udp = ip + ihl;
                String src = addr(bytes, ip + 12) + ":" + (((bytes[udp] & 0xFF) << 8) | (bytes[udp + 1] & 0xFF));
                String dst = addr(bytes, ip + 16) + ":" + (((bytes[udp + 2] & 0xFF) << 8) | (bytes[udp + 3] & 0xFF));
                String text = new String(bytes, udp + 8, start + length - udp - 8, StandardCharsets.UTF_8);
                out.add(new Packet(src, dst, text));
            }
            pos = start + length;
        }
        return out;
    }

    private static String addr(byte[] b, int at) {
        return (b[at] & 0xFF) + "." + (b[at + 1] & 0xFF) + "." + (b[at + 2] & 0xFF) + "." + (b[at + 3] & 0xFF);
    }
}
