package io.sipvane.sip.tls;

import io.sipvane.core.config.TlsSettings.TlsDestination;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The client certificate presented to a destination that asks for one: the one its
 * {@code tls.destinations} rule names, else none. The router's own certificate is never
 * offered to a destination nobody configured, so a tenant's URI cannot collect it.
 * Aliases carry the rule's index, since one manager serves every destination.
 */
final class DestinationKeys extends X509ExtendedKeyManager {
    private final TlsMaterial material;

    DestinationKeys(TlsMaterial material) {
        this.material = material;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return choose(PeerRules.of(material, socket), keyTypes, issuers);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return choose(PeerRules.of(material, engine), keyTypes, issuers);
    }

    private String choose(TlsDestination rule, String[] keyTypes, Principal[] issuers) {
        X509ExtendedKeyManager keys = rule == null ? null : material.destinationKeys.get(rule);
        if (keys == null) {
            return null;
        }
        for (String keyType : keyTypes) {
            // issuers are not filtered: a carrier's CA list is often empty or incomplete, and it will say so if it disagrees
            String[] aliases = keys.getClientAliases(keyType, null);
            if (aliases != null && aliases.length > 0) {
                return material.settings.destinations().indexOf(rule) + "/" + aliases[0];
            }
        }
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        X509ExtendedKeyManager keys = keysOf(alias);
        return keys == null ? null : keys.getCertificateChain(alias.substring(alias.indexOf('/') + 1));
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        X509ExtendedKeyManager keys = keysOf(alias);
        return keys == null ? null : keys.getPrivateKey(alias.substring(alias.indexOf('/') + 1));
    }

    private X509ExtendedKeyManager keysOf(String alias) {
        int slash = alias == null ? -1 : alias.indexOf('/');
        if (slash < 0) {
            return null;
        }
        int index = Integer.parseInt(alias.substring(0, slash));
        return index < material.settings.destinations().size()
                ? material.destinationKeys.get(material.settings.destinations().get(index)) : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
