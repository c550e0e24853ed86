package io.sipvane.sip.stack;

import com.github.benmanes.caffeine.cache.Ticker;
import gov.nist.javax.sip.SipStackImpl;
import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.config.TlsSettings;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sip.ListeningPoint;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JAIN-SIP stack set up the way sipvane runs it: {@link StackProperties}, the DNS-aware
 * hop router, the stateless valve, and a listening point per {@code sip.listen} entry.
 *
 * <p>Start-up order matters: the stack and its valve exist before any socket; the sockets
 * are bound ({@link #bind}) and their providers recorded; only then does {@link #start} hand
 * the valve its path and the providers their listener, so no thread ever sees a half-built
 * router. Collaborators are handed to the stack's own instances; nothing is static.
 */
public final class ProxyStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyStack.class);

    private final SipStackImpl stack;
    private final AddressFactory addresses;
    private final HeaderFactory headers;
    private final MessageFactory messages;
    private final StatelessRelayValve valve;
    private final LocalAddresses local;
    /** Written by {@link #bind} before {@link #start}, read-only afterwards. */
    private final Map<ListenAddress, SipProvider> providers = new HashMap<>();
    private final List<SipProvider> distinct = new ArrayList<>();

    /**
     * @param name  the stack name (unique per JVM; the SIP factory keeps every stack it made)
     * @param dns   cached address of a host name, or null; the stack's next hops use it
     * @param malformed where the stack's parsers report what they reject
     * @param ticker    the clock of the log's rate limits
     * @param tls       the router's TLS sockets, or null when it runs none (then TLS is the stock layer's)
     * @param clientAuth whether TLS listeners ask callers for a certificate
     */
    public ProxyStack(String name, LocalAddresses local, Function<String, InetAddress> dns, MalformedInput malformed,
                      Ticker ticker, TlsSockets tls, TlsSettings.ClientAuth clientAuth) throws SipException {
        this.local = local;
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        java.util.Properties properties = StackProperties.create(name);
        properties.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", switch (clientAuth) {
            case NONE -> "Disabled";
            case OPTIONAL -> "Want";
            case REQUIRED -> "Enabled";
        });
        this.stack = (SipStackImpl) factory.createSipStack(properties);
        this.addresses = factory.createAddressFactory();
        this.headers = factory.createHeaderFactory();
        this.messages = factory.createMessageFactory();
        if (stack.getRouter() instanceof DnsHopRouter hops) {
            hops.useCache(dns);
            hops.useTls(tls);
        }
        if (stack.getMessageParserFactory() instanceof CountingParsers parsers) {
            parsers.use(malformed);
        }
        if (stack.getNetworkLayer() instanceof NoDelayNetworkLayer sockets) {
            sockets.use(new ConnectFailures(ticker));
            if (tls != null) {
                sockets.use(tls);
            }
        }
        if (tls != null) {
            // the stack sets these on every TLS socket after making it, over whatever the socket had:
            // its own defaults are TLS 1.0-1.2 with anonymous and 3DES suites
            stack.setEnabledProtocols(tls.protocols());
            stack.setEnabledCipherSuites(tls.suites());
        }
        this.valve = new StatelessRelayValve(stack);
        stack.sipMessageValves.add(valve);
    }

    /**
     * Binds every listener: one provider per bound host:port carrying all its transports, so
     * a request can be answered whatever transport its Via names among those we listen on.
     * Errors name the listener.
     */
    public void bind() throws SipException {
        Map<String, List<ListenAddress>> byHostPort = new LinkedHashMap<>();
        for (ListenAddress address : local.all()) {
            byHostPort.computeIfAbsent(address.bareHost() + "|" + address.port(), k -> new ArrayList<>()).add(address);
        }
        for (List<ListenAddress> group : byHostPort.values()) {
            SipProvider provider = null;
            for (ListenAddress address : group) {
                ListeningPoint lp;
                try {
                    lp = stack.createListeningPoint(address.bareHost(), address.port(), address.transport().token());
                } catch (Exception e) {
                    throw bindFailure(address, e);
                }
                if (provider == null) {
                    try {
                        provider = stack.createSipProvider(lp);
                    } catch (Exception e) {
                        throw bindFailure(address, e);
                    }
                } else {
                    provider.addListeningPoint(lp);
                }
                providers.put(address, provider);
            }
            distinct.add(provider);
        }
    }

    /** Names the transport, the address and the config key of a listener that cannot bind. */
    private SipException bindFailure(ListenAddress address, Exception e) {
        String cause = e.getMessage();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            cause = t.getMessage() != null ? t.getMessage() : cause; // the innermost says why (address in use, ...)
        }
        return new SipException("cannot listen for SIP over " + address.transport().token().toUpperCase(java.util.Locale.ROOT)
                + " on " + address.bareHost() + ":" + address.port() + " (sip.listen[" + local.all().indexOf(address) + "]: \""
                + address + "\"): " + cause, e);
    }

    /**
     * Hands the message taps (HEP capture, the readable trace) to this stack's server logger,
     * and has the stack announce messages while any of them wants them. JAIN-SIP asks one
     * stack logger per JVM whether to announce messages: the one of the last stack created.
     */
    public void tap(java.util.List<io.sipvane.sip.capture.MessageTap> taps) {
        if (stack.getServerLogger() instanceof Slf4jServerLogger server) {
            server.taps(taps);
            if (gov.nist.core.CommonLogger.legacyLogger instanceof Slf4jStackLogger stackLogger) {
                stackLogger.messagesWanted(server::tapsWanted);
            }
            if (stack.getStackLogger() instanceof Slf4jStackLogger stackLogger) {
                stackLogger.messagesWanted(server::tapsWanted);
            }
        }
    }

    /** Hands the valve its path and every provider the listener, then starts the stack. */
    public void start(StatelessPath path, SipListener listener) throws SipException {
        valve.use(path);
        for (SipProvider provider : distinct) {
            try {
                provider.addSipListener(listener);
            } catch (java.util.TooManyListenersException e) {
                throw new SipException("provider already has a listener", e);
            }
        }
        stack.start();
        for (ListenAddress address : local.all()) {
            LOG.info("SIP listening on {}", address);
        }
    }

    /** The provider that sends from {@code listener}'s socket. */
    public SipProvider provider(ListenAddress listener) {
        return providers.get(listener);
    }

    public LocalAddresses local() {
        return local;
    }

    public AddressFactory addresses() {
        return addresses;
    }

    public HeaderFactory headers() {
        return headers;
    }

    public MessageFactory messages() {
        return messages;
    }

    @Override
    public void close() {
        stack.stop();
    }
}
