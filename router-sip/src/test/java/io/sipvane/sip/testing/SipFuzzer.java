package io.sipvane.sip.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A seeded mutation fuzzer for SIP: takes one of a few valid messages a router sees (a new
 * INVITE with SDP, OPTIONS, in-dialog BYE/ACK/INFO with our Route, CANCEL, REGISTER, a stray
 * response) and applies one to three mutations: a header dropped or repeated, a huge header,
 * bad numbers, flipped bytes, truncation, odd methods, Route loops back to the router, forged
 * tags and Route tokens, a lying Content-Length, bare LF line ends. The same seed gives the
 * same messages.
 */
public final class SipFuzzer {
    /** Largest datagram we send: a UDP payload must fit in 65,507 bytes. */
    static final int MAX_UDP = 65_000;

    private final Random random;
    private final int routerPort;
    private int seq;

    public SipFuzzer(long seed, int routerPort) {
        this.random = new Random(seed);
        this.routerPort = routerPort;
    }

    /** The next message, with Via and Contact naming {@code localPort} over {@code transport} ("UDP" or "TCP"). */
    public byte[] next(String transport, int localPort) {
        seq++;
        List<String> lines = new ArrayList<>(Arrays.asList(template(transport, localPort).split("\r\n", -1)));
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            mutate(lines);
        }
        byte[] bytes = String.join("\r\n", lines).getBytes(StandardCharsets.ISO_8859_1);
        int n = random.nextInt(100);
        if (n < 10) {
            bytes = flipBytes(bytes);
        } else if (n < 17) {
            bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
        } else if (n < 20) {
            bytes = new String(bytes, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
        }
        return bytes.length > MAX_UDP && "UDP".equals(transport) ? Arrays.copyOf(bytes, MAX_UDP) : bytes;
    }

    private String template(String transport, int localPort) {
        String via = "Via: SIP/2.0/" + transport + " 127.0.0.1:" + localPort + ";branch=z9hG4bKfz" + seq + "x" + random.nextInt(1000);
        String route = "Route: <sip:127.0.0.1:" + routerPort + ";lr;transport=" + transport.toLowerCase() + ">";
        String from = "From: <sip:fuzz@127.0.0.1>;tag=f" + seq;
        String callId = "Call-ID: fuzz-" + seq + "@127.0.0.1";
        String contact = "Contact: <sip:fuzz@127.0.0.1:" + localPort + ";transport=" + transport.toLowerCase() + ">";
        String ruri = "sip:+14155550100@127.0.0.1:" + routerPort;
        switch (random.nextInt(8)) {
            case 0, 1: {
                String sdp = "v=0\r\no=- " + seq + " 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                        + "m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
                return "INVITE " + ruri + " SIP/2.0\r\n" + via + "\r\nMax-Forwards: 70\r\n" + from
                        + "\r\nTo: <sip:+14155550100@127.0.0.1>\r\n" + callId + "\r\nCSeq: 1 INVITE\r\n" + contact
                        + "\r\nContent-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp;
            }
            case 2:
                return "OPTIONS sip:127.0.0.1:" + routerPort + " SIP/2.0\r\n" + via + "\r\nMax-Forwards: 70\r\n" + from
                        + "\r\nTo: <sip:127.0.0.1>\r\n" + callId + "\r\nCSeq: 7 OPTIONS\r\nContent-Length: 0\r\n\r\n";
            case 3:
                return "BYE sip:pbx@127.0.0.1:5099 SIP/2.0\r\n" + via + "\r\n" + route + "\r\nMax-Forwards: 70\r\n" + from
                        + "\r\nTo: <sip:+14155550100@127.0.0.1>;tag=t" + seq + "\r\n" + callId
                        + "\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";
            case 4:
                return "ACK sip:pbx@127.0.0.1:5099 SIP/2.0\r\n" + via + "\r\n" + route + "\r\nMax-Forwards: 70\r\n" + from
                        + "\r\nTo: <sip:+14155550100@127.0.0.1>;tag=t" + seq + "\r\n" + callId
                        + "\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
            case 5:
                return "CANCEL " + ruri + " SIP/2.0\r\n" + via + "\r\nMax-Forwards: 70\r\n" + from
                        + "\r\nTo: <sip:+14155550100@127.0.0.1>\r\n" + callId + "\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n";
            case 6:
                return "INFO sip:pbx@127.0.0.1:5099 SIP/2.0\r\n" + via + "\r\n" + route + "\r\n" + route
                        + "\r\nMax-Forwards: 70\r\n" + from + "\r\nTo: <sip:+14155550100@127.0.0.1>;tag=t" + seq + "\r\n"
                        + callId + "\r\nCSeq: 3 INFO\r\nContent-Type: application/dtmf-relay\r\nContent-Length: 10\r\n\r\nSignal=5\r\n";
            default:
                return "SIP/2.0 200 OK\r\nVia: SIP/2.0/" + transport + " 127.0.0.1:" + routerPort + ";branch=z9hG4bKsve" + seq
                        + "\r\n" + via + "\r\n" + from + "\r\nTo: <sip:+14155550100@127.0.0.1>;tag=t" + seq + "\r\n" + callId
                        + "\r\nCSeq: 1 INVITE\r\n" + contact + "\r\nContent-Length: 0\r\n\r\n";
        }
    }

    /** Header lines are those between the first line and the first empty line. */
    private void mutate(List<String> lines) {
        int end = lines.indexOf("");
        int headers = end < 0 ? lines.size() : end;
        int h = headers > 1 ? 1 + random.nextInt(headers - 1) : 0;
        switch (random.nextInt(10)) {
            case 0 -> {
                if (headers > 1) {
                    lines.remove(h);
                }
            }
            case 1 -> {
                int copies = 1 + random.nextInt(random.nextBoolean() ? 3 : 60);
                for (int i = 0; i < copies; i++) {
                    lines.add(h, lines.get(h));
                }
            }
            case 2 -> lines.add(h, (random.nextBoolean() ? "X-Fuzz: " : "Subject: ") + "a".repeat(1 + random.nextInt(30_000)));
            case 3 -> lines.set(h, badNumber(lines.get(h)));
            case 4 -> lines.set(0, oddMethod(lines.get(0), lines));
            case 5 -> {
                int n = 1 + random.nextInt(20);
                for (int i = 0; i < n; i++) {
                    lines.add(1, (random.nextBoolean() ? "Route" : "Record-Route") + ": <sip:127.0.0.1:" + routerPort + ";lr>");
                }
            }
            case 6 -> {
                for (int i = 1; i < headers; i++) {
                    if (lines.get(i).startsWith("To:")) {
                        lines.set(i, lines.get(i).replaceAll(";tag=.*", "") + ";tag=forged" + random.nextInt());
                    }
                }
                lines.add(1, "Route: <sip:127.0.0.1:" + routerPort + ";lr;sv=" + Long.toHexString(random.nextLong()) + ">");
            }
            case 7 -> {
                for (int i = 1; i < headers; i++) {
                    if (lines.get(i).startsWith("Content-Length:")) {
                        lines.set(i, "Content-Length: " + (random.nextBoolean() ? random.nextInt(5000) : -random.nextInt(5)));
                    }
                }
            }
            case 8 -> lines.add(h, random.nextBoolean() ? " continued" : "NoColonHere");
            default -> lines.set(h, flip(lines.get(h)));
        }
    }

    private String badNumber(String line) {
        String[] bad = {"-1", "99999999999999999999", "0x10", "", "1.5", "4294967296", "abc", "2147483648", "00000000000000000001"};
        return line.replaceFirst("\\d+", bad[random.nextInt(bad.length)]);
    }

    private String oddMethod(String first, List<String> lines) {
        if (first.startsWith("SIP/2.0")) {
            String[] codes = {"SIP/2.0 99 Low", "SIP/2.0 700 High", "SIP/2.0 abc Bad", "SIP/3.0 200 OK", "SIP/2.0 200"};
            return codes[random.nextInt(codes.length)];
        }
        String[] methods = {"INVITe", "FOO", "", "INV ITE", "\u0000", "X".repeat(300), "\u00c4\u00d6", "BYE", "ACK", "PRACK", "SUBSCRIBE"};
        String method = methods[random.nextInt(methods.length)];
        if (random.nextBoolean()) {
            for (int i = 1; i < lines.size() && !lines.get(i).isEmpty(); i++) {
                if (lines.get(i).startsWith("CSeq:")) {
                    lines.set(i, "CSeq: " + random.nextInt(100) + " " + method);
                }
            }
        }
        int space = first.indexOf(' ');
        return method + (space < 0 ? " " + first : first.substring(space));
    }

    private String flip(String line) {
        char[] c = line.toCharArray();
        if (c.length > 0) {
            c[random.nextInt(c.length)] = (char) random.nextInt(256);
        }
        return new String(c);
    }

    private byte[] flipBytes(byte[] bytes) {
        byte[] b = bytes.clone();
        int n = 1 + random.nextInt(10);
        for (int i = 0; i < n && b.length > 0; i++) {
            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
        return b;
    }
}
