package io.sipvane.sip.testing;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare UDP socket on loopback that records every datagram and answers nothing unless told:
 * a destination that is silent (no stack behind it sends 100 Trying), or that answers late.
 */
public final class RawUdpPeer implements AutoCloseable {
    public final DatagramSocket socket;
    public final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final Thread reader;

    public RawUdpPeer() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        reader = new Thread(this::read, "raw-udp-peer");
        reader.setDaemon(true);
        reader.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public String uri() {
        return "sip:127.0.0.1:" + port();
    }

    private void read() {
        byte[] buf = new byte[65536];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                received.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                return;
            }
        }
    }

    /** The next message whose first line starts with {@code start} ("INVITE", "ACK", "BYE", ...). */
    public String await(String start, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            String m = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null || m.startsWith(start)) {
                return m;
            }
        }
    }

    /** Sends to {@code to} the response {@code code} to {@code request}, as a UAS would (To tag, Contact, Record-Route). */
    public void respond(String request, int code, String reason, SocketAddress to) throws java.io.IOException {
        StringBuilder sb = new StringBuilder("SIP/2.0 ").append(code).append(' ').append(reason).append("\r\n");
        for (String line : request.split("\r\n")) {
            String lower = line.toLowerCase();
            if (lower.startsWith("via:") || lower.startsWith("from:") || lower.startsWith("call-id:")
                    || lower.startsWith("cseq:") || lower.startsWith("record-route:")) {
                sb.append(line).append("\r\n");
            } else if (lower.startsWith("to:")) {
                sb.append(line).append(";tag=raw").append(port()).append("\r\n");
            }
        }
        sb.append("Contact: <sip:pbx@127.0.0.1:").append(port()).append(">\r\n");
        sb.append("Content-Length: 0\r\n\r\n");
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    @Override
    public void close() {
        socket.close();
    }
}
