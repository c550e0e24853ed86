package io.sipvane.sip.tls;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sipvane.core.config.TlsSettings;
import io.sipvane.core.config.TlsSettings.TlsDestination;
import io.sipvane.core.uri.SipUri;
import io.sipvane.sip.stack.TlsSockets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's TLS: listening sockets that present the router's certificate, and connections
 * to destinations that check theirs, host name included, with SNI, presenting a client
 * certificate where a {@code tls.destinations} rule names one.
 *
 * <p>Design: the files are read into an immutable {@link TlsMaterial}; a change of a file or
 * of the section replaces it as a whole ({@link #reload}), failing safe (the running material
 * stays, with one WARN). Connections made after that use the new material; connections open
 * keep theirs. Protocols (TLS 1.3, and 1.2 unless {@code min_version} says 1.3) and suites
 * ({@link TlsSuites}) are fixed at start, for listeners and connections alike.
 */
public final class RouterTls implements TlsSockets {
    private static final Logger LOG = LoggerFactory.getLogger(RouterTls.class);
    /** At most one WARN per destination per this long for a refused certificate. */
    static final Duration REFUSAL_LOG_INTERVAL = Duration.ofSeconds(10);

    private final String[] protocols;
    private final String[] suites;
    private final PeerNames names = new PeerNames();
    private final AtomicLong generations = new AtomicLong();
    private final SSLContext listenerContext;
    private final Cache<String, Boolean> recentlyLogged = Caffeine.newBuilder().maximumSize(1024)
            .expireAfterWrite(REFUSAL_LOG_INTERVAL).build();
    private volatile Loaded current;
    private volatile Loaded previous;

    /** One reading of the files, with the client context built from it. */
    private record Loaded(TlsMaterial material, SSLContext clientContext) {}

    /** Reads the files of {@code settings}; the message of a failure names the config key and the file. */
    public RouterTls(TlsSettings settings) throws IOException {
        this.protocols = settings.protocols().toArray(String[]::new);
        try {
            SSLContext probe = SSLContext.getInstance("TLS");
            probe.init(null, null, null);
            this.suites = TlsSuites.allowed(probe.getSupportedSSLParameters().getCipherSuites());
            this.listenerContext = SSLContext.getInstance("TLS");
            listenerContext.init(new KeyManager[] {new ListenerKeys(() -> current.material, this::generation)},
                    new TrustManager[] {new ListenerTrust(() -> current.material)}, null);
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS is not available in this JVM: " + e.getMessage(), e);
        }
        this.current = load(settings);
        warnUnverified(settings);
    }

    /** The protocols offered, newest first. */
    public String[] protocols() {
        return protocols.clone();
    }

    /** The cipher suites offered, TLS 1.3's first. */
    public String[] suites() {
        return suites.clone();
    }

    /**
     * Applies {@code settings} if they or the files they name changed since the last reading.
     * A file that cannot be read leaves the running material in place, with one WARN naming it.
     *
     * @return whether new material is in use
     */
    public synchronized boolean reload(TlsSettings settings) {
        Loaded running = current;
        if (running.material.settings.equals(settings) && !running.material.stamps.changed()) {
            return false;
        }
        try {
            Loaded next = load(settings);
            previous = running;
            current = next;
        } catch (IOException e) {
            LOG.warn("TLS files not reloaded, the running certificates stay: {}", e.getMessage());
            return false;
        }
        LOG.info("TLS certificates reloaded: new connections use them, open ones keep theirs");
        warnUnverified(settings);
        return true;
    }

    /** Re-reads the files of the running settings if one of them changed. */
    public boolean reloadIfChanged() {
        return reload(current.material.settings);
    }

    private Loaded load(TlsSettings settings) throws IOException {
        TlsMaterial material = TlsMaterial.load(settings, generations.incrementAndGet());
        try {
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(new KeyManager[] {new DestinationKeys(material)},
                    new TrustManager[] {new DestinationTrust(material, this::refused)}, null);
            return new Loaded(material, client);
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS context: " + e.getMessage(), e);
        }
    }

    private TlsMaterial generation(long generation) {
        Loaded c = current;
        if (c.material.generation == generation) {
            return c.material;
        }
        Loaded p = previous;
        return p != null && p.material.generation == generation ? p.material : null;
    }

    private static void warnUnverified(TlsSettings settings) {
        for (int i = 0; i < settings.destinations().size(); i++) {
            TlsDestination d = settings.destinations().get(i);
            if (!d.verify()) {
                LOG.warn("tls.destinations[{}]: the certificate of {}{} is NOT verified (verify: false): anyone on the path"
                        + " can impersonate it; for a lab only", i, d.host(), d.port() == 0 ? "" : ":" + d.port());
            }
        }
    }

    private void refused(String peer, CertificateException e) {
        if (recentlyLogged.asMap().putIfAbsent(peer, Boolean.TRUE) == null) {
            LOG.warn("TLS certificate of {} refused: {}", peer, e.getMessage());
        }
    }

    @Override
    public SSLServerSocket listen(int port, int backlog, InetAddress bindAddress) throws IOException {
        if (current.material.routerKeys == null) {
            throw new IOException("a TLS listener needs tls.certificate and tls.key");
        }
        SSLServerSocket socket = (SSLServerSocket) listenerContext.getServerSocketFactory()
                .createServerSocket(port, backlog, bindAddress);
        SSLParameters p = socket.getSSLParameters();
        p.setProtocols(protocols);
        p.setCipherSuites(suites);
        // the server's preference decides: TLS 1.3, then forward-secret AEAD suites
        p.setUseCipherSuitesOrder(true);
        socket.setSSLParameters(p);
        return socket;
    }

    @Override
    public SSLSocket connect(InetAddress address, int port, InetAddress localAddress, int timeoutMs) throws IOException {
        String peer = names.nameOf(address, port);
        Socket plain = new Socket();
        try {
            if (localAddress != null) {
                plain.bind(new InetSocketAddress(localAddress, 0));
            }
            plain.connect(new InetSocketAddress(address, port), timeoutMs);
            SSLSocket tls = (SSLSocket) current.clientContext.getSocketFactory().createSocket(plain, peer, port, true);
            SSLParameters p = tls.getSSLParameters();
            p.setProtocols(protocols);
            p.setCipherSuites(suites);
            // the JDK checks the certificate's names (SAN) against the peer host: the name routed to, or the address
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setServerNames(SipUri.isIpLiteral(peer) ? List.of() : List.of(new SNIHostName(peer)));
            tls.setSSLParameters(p);
            tls.setUseClientMode(true);
            return tls;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    @Override
    public void expect(InetAddress address, int port, String host) {
        names.expect(address, port, host);
    }
}
