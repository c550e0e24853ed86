package io.sipvane.sip.stack;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP listener whose worker threads receive datagrams themselves.
 *
 * <p>Implementation note: the stock processor reads every datagram on one reader thread into
 * a new array of the largest message size (64 KiB, zeroed, garbage a moment later) and hands
 * it to a worker through a {@code LinkedBlockingQueue}: at 1,000 calls/s that was 450 MB/s of
 * garbage (a fifth of the proxy's CPU went to GC), a park/unpark per datagram, and a thread
 * of its own. Here the queue the workers take from is the socket: its {@code take} receives into
 * a packet and buffer that belong to the calling worker, and the worker parses and routes the
 * datagram on the same thread (the stack copies the bytes it keeps). No allocation, no
 * handoff. The kernel's receive buffer ({@code RECEIVE_UDP_BUFFER_SIZE}) is the only queue:
 * what the workers cannot take waits there, and past its size is dropped and retransmitted
 * by the peer, as with any UDP proxy, instead of growing the heap.
 */
final class InlineUdpProcessor extends UDPMessageProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(InlineUdpProcessor.class);
    /**
     * The largest UDP payload there is (the IP length field). Not the stack's
     * {@code getMaximumMessageSize()}: for UDP that answers the socket's receive buffer size.
     */
    static final int MAX_DATAGRAM = 65_535;

    private final int workers;
    private final int bufferSize;

    InlineUdpProcessor(InetAddress address, SIPTransactionStack stack, int port) throws IOException {
        super(address, stack, port);
        sendThroughListeningSocket(stack);
        this.workers = workerCount(stack);
        int max = stack.getMaxMessageSize();
        this.bufferSize = max > 0 && max < MAX_DATAGRAM ? max : MAX_DATAGRAM;
        this.messageQueue = new ReceivingQueue();
    }

    /** Starts the workers; unlike the stock processor, no reader thread. */
    @Override
    public void start() {
        isRunning = true;
        LinkedList<UDPMessageChannel> channels = new LinkedList<>();
        String prefix = ((SipStackImpl) sipStack).getStackName() + "-udp-" + getPort() + "-";
        for (int i = 0; i < workers; i++) {
            channels.add(new Worker(sipStack, this, prefix + i));
        }
        messageChannels = channels;
    }

    @Override
    public void run() {
        // the stock reader loop: not used, the workers receive themselves
    }

    /**
     * The stack sends UDP from the listening socket only when the stock factory made the
     * processor (a package-private flag); otherwise it opens a socket per message, from an
     * ephemeral port the peers would answer to.
     */
    private static void sendThroughListeningSocket(SIPTransactionStack stack) throws IOException {
        try {
            Field flag = SIPTransactionStack.class.getDeclaredField("udpFlag");
            flag.setAccessible(true);
            flag.setBoolean(stack, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("this JAIN-SIP version has no udpFlag: " + e, e);
        }
    }

    private static int workerCount(SIPTransactionStack stack) {
        String value = ((SipStackImpl) stack).getConfigurationProperties()
                .getProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "2");
        try {
            return Math.max(1, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gov.nist.javax.sip.THREAD_POOL_SIZE: " + value + " (expected: a number >= 1)");
        }
    }

    /** A worker thread of the stack's own kind, so that the stack parses and dispatches as usual. */
    private static final class Worker extends UDPMessageChannel {
        Worker(SIPTransactionStack stack, UDPMessageProcessor processor, String name) {
            super(stack, processor, name);
        }
    }

    /** What a worker holds between two datagrams: reused, since it handles one at a time. */
    private final class Slot {
        final byte[] buffer = new byte[bufferSize];
        final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        final DatagramQueuedMessageDispatch dispatch = new DatagramQueuedMessageDispatch(packet, 0L);
    }

    /**
     * The "queue" the stack's workers take from: the socket itself. Only {@link #take} and the
     * timed {@link #poll(long, TimeUnit)} (used when the stack's thread auditor is on) are
     * meaningful; nothing is ever offered.
     */
    private final class ReceivingQueue extends AbstractQueue<DatagramQueuedMessageDispatch>
            implements BlockingQueue<DatagramQueuedMessageDispatch> {
        private final ThreadLocal<Slot> slots = ThreadLocal.withInitial(Slot::new);

        @Override
        public DatagramQueuedMessageDispatch take() {
            while (true) {
                DatagramQueuedMessageDispatch d = receive();
                if (d != null) {
                    return d;
                }
            }
        }

        @Override
        public DatagramQueuedMessageDispatch poll(long timeout, TimeUnit unit) {
            return receive();
        }

        /**
         * One datagram; null on a socket timeout (thread auditor) or a passing receive error.
         * Once the processor stops, a dispatch is returned at once: the worker sees
         * {@code isRunning == false} and ends.
         */
        private DatagramQueuedMessageDispatch receive() {
            Slot slot = slots.get();
            if (!isRunning) {
                return slot.dispatch;
            }
            slot.packet.setData(slot.buffer, 0, slot.buffer.length);
            try {
                sock.receive(slot.packet);
                return slot.dispatch;
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException | RuntimeException e) {
                if (!isRunning) {
                    return slot.dispatch;
                }
                LOG.debug("UDP receive on port {} failed: {}", getPort(), e.toString());
                return null;
            }
        }

        @Override public boolean offer(DatagramQueuedMessageDispatch d) {
            throw new UnsupportedOperationException("datagrams come from the socket");
        }
        @Override public void put(DatagramQueuedMessageDispatch d) {
            throw new UnsupportedOperationException("datagrams come from the socket");
        }
        @Override public boolean offer(DatagramQueuedMessageDispatch d, long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("datagrams come from the socket");
        }
        @Override public DatagramQueuedMessageDispatch poll() {
            return null;
        }
        @Override public DatagramQueuedMessageDispatch peek() {
            return null;
        }
        @Override public int size() {
            return 0;
        }
        @Override public Iterator<DatagramQueuedMessageDispatch> iterator() {
            return Collections.emptyIterator();
        }
        @Override public int remainingCapacity() {
            return 0;
        }
        @Override public int drainTo(Collection<? super DatagramQueuedMessageDispatch> c) {
            return 0;
        }
        @Override public int drainTo(Collection<? super DatagramQueuedMessageDispatch> c, int max) {
            return 0;
        }
    }
}
