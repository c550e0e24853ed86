package io.sipvane.sip.stack;

import java.util.Properties;

/**
 * The JAIN-SIP (NIST RI 1.3.0) stack properties sipvane runs with; each value says why.
 * Shared by the server and the test user agents so tests exercise the same stack setup.
 */
public final class StackProperties {
    /** Largest message accepted; larger ones are rejected by the stack. SIP over UDP fits in 64 KiB. */
    static final int MAX_MESSAGE_SIZE = 64 * 1024;
    /** The kernel buffer must absorb bursts: 64 KiB dropped datagrams at a few hundred calls/s. */
    static final int UDP_BUFFER_SIZE = 4 * 1024 * 1024;
    /** A TCP connect that does not finish in 2 s is a dead destination: fail over. */
    static final int CONNECTION_TIMEOUT_MS = 2000;
    /** Nor does a TLS handshake: the stack closes the socket after this long (without it, never). */
    static final int TLS_HANDSHAKE_TIMEOUT_MS = 2000;

    private StackProperties() {}

    public static Properties create(String stackName) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", stackName);
        // a proxy keeps no dialog state: dialogs belong to the endpoints
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.AUTOMATIC_DIALOG_ERROR_HANDLING", "false");
        // events of different transactions are handled concurrently; ours never block
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        // measured: 2 threads beat 8 and 32 on a 2-core machine
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "2");
        p.setProperty("gov.nist.javax.sip.CONNECTION_TIMEOUT", Integer.toString(CONNECTION_TIMEOUT_MS));
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", Integer.toString(UDP_BUFFER_SIZE));
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", Integer.toString(UDP_BUFFER_SIZE));
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(MAX_MESSAGE_SIZE));
        // keep a transaction's messages until it leaves the stack (100 ms after its end, WheelSipTimer):
        // "Normal" re-encodes every client transaction's request to bytes when it ends, in case it is
        // read again: about a tenth more CPU per call at 2,000 calls/s (router-bench/README.md)
        p.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "None");
        // the stack's logging goes through SLF4J; its log4j 1.x default is never on the classpath
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        // next hops of resolved names come from our DNS cache, never from a lookup on a listener thread
        p.setProperty("javax.sip.ROUTER_PATH", DnsHopRouter.class.getName());
        // UDP workers receive and handle datagrams themselves (no reader thread, no queue);
        // TCP keeps the blocking processor: the NIO one has open bugs in this release
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", SipvaneMessageProcessors.class.getName());
        // every parser reports what it rejects to MalformedInput (counter, rate-limited log line)
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", CountingParsers.class.getName());
        // TCP_NODELAY on every TCP/TLS socket; one WARN line per failed connect
        p.setProperty("gov.nist.javax.sip.NETWORK_LAYER", NoDelayNetworkLayer.class.getName());
        // a peer that connects and never completes its handshake holds a thread: close it (milliseconds)
        p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", Integer.toString(TLS_HANDSHAKE_TIMEOUT_MS));
        // left unset, the NIO path requires a client certificate of every caller: ask none unless configured
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
        // tens of thousands of pending transaction timers at 2,000 calls/s: a wheel, not java.util.Timer's heap
        p.setProperty("gov.nist.javax.sip.TIMER_CLASS_NAME", WheelSipTimer.class.getName());
        // there is no UDP message queue to audit: the kernel's receive buffer is the queue
        p.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", "0");
        overrideFrom(System.getProperties(), p);
        return p;
    }

    /**
     * Lets an operator change any stack property without a rebuild: a JVM system property
     * named like a JAIN-SIP property ({@code -Dgov.nist.javax.sip.THREAD_POOL_SIZE=4}) wins over
     * the value above. The stack name and the loggers are never overridden.
     */
    static void overrideFrom(Properties system, Properties stack) {
        for (String name : system.stringPropertyNames()) {
            boolean stackProperty = name.startsWith("gov.nist.javax.sip.") || name.startsWith("javax.sip.");
            if (stackProperty && !PINNED.contains(name)) {
                stack.setProperty(name, system.getProperty(name));
            }
        }
    }

    private static final java.util.Set<String> PINNED = java.util.Set.of("javax.sip.STACK_NAME",
            "gov.nist.javax.sip.STACK_LOGGER", "gov.nist.javax.sip.SERVER_LOGGER");
}
