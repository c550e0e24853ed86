package io.sipvane.sip.capture;

import gov.nist.javax.sip.message.SIPMessage;
import io.sipvane.core.config.CaptureSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sip.header.ViaHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code capture.hep}: sends a HEPv3 copy of every SIP message received and sent to a
 * collector (Homer, heplify-server, {@code sngrep -L}) over UDP. Each copy carries the real
 * source and destination and the transport of its hop (from the message's top Via: ours on
 * requests we send and responses we receive, the peer's on the others).
 *
 * <p>Implementation note: one non-blocking datagram channel connected to the collector;
 * a copy the kernel cannot take at once is dropped (capture never slows routing), and a
 * collector that cannot be reached is reported once until it answers again.
 */
public final class HepCapture implements MessageTap, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HepCapture.class);

    private final DatagramChannel channel;
    private final int agentId;
    private final String collector;
    private final AtomicBoolean failing = new AtomicBoolean();

    public HepCapture(CaptureSettings settings) throws IOException {
        this.agentId = settings.agentId();
        this.collector = settings.hep();
        this.channel = DatagramChannel.open();
        channel.configureBlocking(false);
        channel.connect(new InetSocketAddress(settings.hepHost(), settings.hepPort()));
        LOG.info("capturing SIP to {} as HEPv3, agent id {}", collector, agentId);
    }

    @Override
    public boolean wanted() {
        return true;
    }

    @Override
    public void message(SIPMessage message, String from, String to, boolean sent, long millis) {
        InetAddress src = HostPorts.address(from);
        InetAddress dst = HostPorts.address(to);
        if (src == null || dst == null) {
            return;
        }
        byte[] packet = HepEncoder.encode(src, HostPorts.port(from), dst, HostPorts.port(to), protocol(message),
                (millis > 0 ? millis : System.currentTimeMillis()) * 1000, agentId,
                message.encode().getBytes(StandardCharsets.UTF_8));
        try {
            channel.write(ByteBuffer.wrap(packet));
            if (failing.compareAndSet(true, false)) {
                LOG.info("HEP collector {} reachable again", collector);
            }
        } catch (IOException e) {
            if (failing.compareAndSet(false, true)) {
                LOG.warn("cannot send SIP capture to {}: {}; copies are dropped until it answers", collector, e.toString());
            }
        }
    }

    private static int protocol(SIPMessage message) {
        ViaHeader via = (ViaHeader) message.getHeader(ViaHeader.NAME);
        String transport = via == null ? "UDP" : via.getTransport().toUpperCase(Locale.ROOT);
        return transport.equals("UDP") ? HepEncoder.IP_PROTO_UDP : HepEncoder.IP_PROTO_TCP;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the capture channel", e);
        }
    }
}
