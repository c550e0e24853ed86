package io.sipvane.sip.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HepEncoderTest {
    @Test
    void packetIsHep3WithEveryChunkTheCollectorsRead() throws Exception {
        byte[] payload = "OPTIONS sip:a SIP/2.0\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] packet = HepEncoder.encode(InetAddress.getByName("127.0.0.1"), 5060, InetAddress.getByName("127.0.0.2"), 5071,
                HepEncoder.IP_PROTO_UDP, 1_700_000_000_123_456L, 42, payload);

        ByteBuffer b = ByteBuffer.wrap(packet);
        assertThat(new String(packet, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("HEP3");
        assertThat(b.getShort(4) & 0xFFFF).isEqualTo(packet.length);
        Map<Integer, byte[]> chunks = new LinkedHashMap<>();
        int pos = 6;
        while (pos < packet.length) {
            assertThat(b.getShort(pos)).as("vendor").isZero();
            int type = b.getShort(pos + 2);
            int length = b.getShort(pos + 4) & 0xFFFF;
            byte[] value = new byte[length - 6];
            System.arraycopy(packet, pos + 6, value, 0, value.length);
            chunks.put(type, value);
            pos += length;
        }
        assertThat(pos).isEqualTo(packet.length);
        assertThat(chunks.keySet()).containsExactly(1, 2, 7, 8, 9, 10, 11, 12, 3, 4, 15);
        assertThat(chunks.get(1)).containsExactly(2);
        assertThat(chunks.get(2)).containsExactly(17);
        assertThat(ByteBuffer.wrap(chunks.get(7)).getShort()).isEqualTo((short) 5060);
        assertThat(ByteBuffer.wrap(chunks.get(8)).getShort()).isEqualTo((short) 5071);
        assertThat(ByteBuffer.wrap(chunks.get(9)).getInt()).isEqualTo(1_700_000_000);
        assertThat(ByteBuffer.wrap(chunks.get(10)).getInt()).isEqualTo(123_456);
        assertThat(chunks.get(11)).containsExactly(1);
        assertThat(ByteBuffer.wrap(chunks.get(12)).getInt()).isEqualTo(42);
        assertThat(chunks.get(3)).containsExactly(127, 0, 0, 1);
        assertThat(chunks.get(4)).containsExactly(127, 0, 0, 2);
        assertThat(chunks.get(15)).isEqualTo(payload);
    }

    @Test
    void hostPortsOfTheStack_areSplitWithoutLookingNamesUp() {
        assertThat(HostPorts.address("127.0.0.1:5060")).isNotNull();
        assertThat(HostPorts.port("127.0.0.1:5071")).isEqualTo(5071);
        assertThat(HostPorts.host("[::1]:5060")).isEqualTo("::1");
        assertThat(HostPorts.port("[::1]:5062")).isEqualTo(5062);
        assertThat(HostPorts.port("127.0.0.1")).isEqualTo(5060);
        assertThat(HostPorts.address("pbx.example.com:5060")).isNull();
    }
}
