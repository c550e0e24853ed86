package io.sipvane.sip.capture;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Encodes one captured SIP message as a HEPv3 (EEP) packet: the {@code HEP3} magic and the
 * total length, then chunks of vendor 0 (chunk type, length including its 6-byte header,
 * value, all in network byte order): IP family (1), IP protocol (2), source and destination
 * port (7, 8), timestamp seconds and microseconds (9, 10), protocol type SIP (11), capture
 * agent id (12), source and destination address (3/4 for IPv4, 5/6 for IPv6), payload (15).
 *
 * <p>Implementation note: the fixed chunks come first, in the order above, then the
 * addresses, then the payload; collectors that read the fixed part as one block (sngrep 1.x)
 * and those that walk the chunks (heplify-server) both decode it.
 */
public final class HepEncoder {
    static final int IP_PROTO_UDP = 17;
    static final int IP_PROTO_TCP = 6;
    private static final int PROTOCOL_SIP = 1;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    private HepEncoder() {}

    /**
     * @param ipProtocol {@link #IP_PROTO_UDP} or {@link #IP_PROTO_TCP}
     * @param micros     capture time in microseconds since the epoch
     */
    public static byte[] encode(InetAddress src, int srcPort, InetAddress dst, int dstPort, int ipProtocol, long micros,
                                int agentId, byte[] payload) {
        boolean v6 = src instanceof Inet6Address || dst instanceof Inet6Address;
        byte[] s = v6 ? v6(src) : src.getAddress();
        byte[] d = v6 ? v6(dst) : dst.getAddress();
        int length = 6 + (7 + 7 + 8 + 8 + 10 + 10 + 7 + 10) + (6 + s.length) * 2 + 6 + payload.length;
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("message too large for one HEP packet: " + payload.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put((byte) 'H').put((byte) 'E').put((byte) 'P').put((byte) '3').putShort((short) length);
        chunk(b, 1, 1).put((byte) (v6 ? AF_INET6 : AF_INET));
        chunk(b, 2, 1).put((byte) ipProtocol);
        chunk(b, 7, 2).putShort((short) srcPort);
        chunk(b, 8, 2).putShort((short) dstPort);
        chunk(b, 9, 4).putInt((int) (micros / 1_000_000));
        chunk(b, 10, 4).putInt((int) (micros % 1_000_000));
        chunk(b, 11, 1).put((byte) PROTOCOL_SIP);
        chunk(b, 12, 4).putInt(agentId);
        chunk(b, v6 ? 5 : 3, s.length).put(s);
        chunk(b, v6 ? 6 : 4, d.length).put(d);
        chunk(b, 15, payload.length).put(payload);
        return b.array();
    }

    private static ByteBuffer chunk(ByteBuffer b, int type, int valueLength) {
        return b.putShort((short) 0).putShort((short) type).putShort((short) (6 + valueLength));
    }

    /** An IPv4 address as IPv4-mapped IPv6, for a packet whose other address is IPv6. */
    private static byte[] v6(InetAddress a) {
        byte[] raw = a.getAddress();
        if (raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }
}
