package io.sipvane.sip.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The router's certificate as its listening sockets present it: whatever the files hold now.
 * A listening socket lives as long as the router, so it asks at every handshake instead of
 * keeping a key; the alias names the reading it came from, so a reload between choosing
 * and signing cannot pair one certificate with another key.
 */
final class ListenerKeys extends X509ExtendedKeyManager {
    private final Supplier<TlsMaterial> current;
    private final LongFunction<TlsMaterial> byGeneration;

    ListenerKeys(Supplier<TlsMaterial> current, LongFunction<TlsMaterial> byGeneration) {
        this.current = current;
        this.byGeneration = byGeneration;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        TlsMaterial m = current.get();
        return m.routerKeys == null ? null : tag(m, m.routerKeys.chooseServerAlias(keyType, issuers, socket));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        TlsMaterial m = current.get();
        return m.routerKeys == null ? null : tag(m, m.routerKeys.chooseEngineServerAlias(keyType, issuers, engine));
    }

    private static String tag(TlsMaterial m, String alias) {
        return alias == null ? null : m.generation + "/" + alias;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        TlsMaterial m = materialOf(alias);
        return m == null ? null : m.routerKeys.getCertificateChain(alias.substring(alias.indexOf('/') + 1));
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        TlsMaterial m = materialOf(alias);
        return m == null ? null : m.routerKeys.getPrivateKey(alias.substring(alias.indexOf('/') + 1));
    }

    private TlsMaterial materialOf(String alias) {
        int slash = alias == null ? -1 : alias.indexOf('/');
        if (slash < 0) {
            return null;
        }
        TlsMaterial m = byGeneration.apply(Long.parseLong(alias.substring(0, slash)));
        return m == null || m.routerKeys == null ? null : m;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return null;
    }
}
