package io.sipvane.sip.auth;

import java.text.ParseException;
import java.util.ListIterator;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.address.SipURI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Answers a destination's 401 (WWW-Authenticate) or 407 (Proxy-Authenticate) challenge to an
 * INVITE with digest credentials (RFC 3261 22.2, RFC 7616), picking the strongest supported
 * algorithm when several are offered. The password only enters the digest computation.
 */
public final class DigestAuthorizer {
    private final HeaderFactory headers;

    public DigestAuthorizer(HeaderFactory headers) {
        this.headers = headers;
    }

    /** The Authorization or Proxy-Authorization header, or {@code null} when no challenge can be answered. */
    public AuthorizationHeader authorization(Response challenge, String username, String password, SipURI requestUri)
            throws ParseException {
        boolean proxy = challenge.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        ListIterator<?> it = challenge.getHeaders(proxy ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME);
        WWWAuthenticateHeader best = null;
        while (it.hasNext()) {
            WWWAuthenticateHeader c = (WWWAuthenticateHeader) it.next();
            if ("Digest".equalsIgnoreCase(c.getScheme()) && Digest.supports(c.getAlgorithm())
                    && (best == null || Digest.strength(c.getAlgorithm()) > Digest.strength(best.getAlgorithm()))) {
                best = c;
            }
        }
        if (best == null) {
            return null;
        }
        String qop = Digest.chooseQop(best.getQop());
        String uri = requestUri.toString();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String cnonce = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
        String nc = "00000001";
        AuthorizationHeader h = proxy ? headers.createProxyAuthorizationHeader("Digest") : headers.createAuthorizationHeader("Digest");
        h.setUsername(username);
        h.setRealm(best.getRealm());
        h.setNonce(best.getNonce());
        h.setURI(requestUri);
        if (best.getAlgorithm() != null) {
            h.setAlgorithm(best.getAlgorithm());
        }
        if (best.getOpaque() != null) {
            h.setOpaque(best.getOpaque());
        }
        if (qop != null) {
            h.setQop(qop);
            h.setCNonce(cnonce);
            h.setNonceCount(1);
        }
        h.setResponse(Digest.response(best.getAlgorithm(), username, best.getRealm(), password, Request.INVITE, uri,
                best.getNonce(), qop, nc, cnonce));
        return h;
    }
}
