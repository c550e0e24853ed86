package io.sipvane.sip.message;

import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.RecordRouteList;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.header.ViaList;
import gov.nist.javax.sip.message.SIPDuplicateHeaderException;
import gov.nist.javax.sip.message.SIPMessage;
import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.model.Transport;
import java.text.ParseException;
import javax.sip.InvalidArgumentException;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AllowHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The headers and responses the proxy makes itself, each built in one place: our Via and
 * Record-Route (from a listener's advertised address), Allow, Max-Forwards handling, and our
 * own responses (503 always with Retry-After). Wraps the stack's factories; thread-safe.
 */
public final class SipMessages {
    public static final String ALLOWED_METHODS = "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, PRACK";
    /** Retry-After (s) sent with our own 503s. */
    public static final int RETRY_AFTER_S = 5;
    /** Max-Forwards of requests we originate (RFC 3261 8.1.1.6). */
    public static final int MAX_FORWARDS = 70;

    private final AddressFactory addresses;
    private final HeaderFactory headers;
    private final MessageFactory messages;

    public SipMessages(AddressFactory addresses, HeaderFactory headers, MessageFactory messages) {
        this.addresses = addresses;
        this.headers = headers;
        this.messages = messages;
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

    /**
     * {@code sip:user@host} ({@code sip:host} without a user), as the address factory would
     * parse it. Plain users and hosts (digits, letters, {@code +._-}) are set on the URI
     * directly: the factory writes the URI out and runs the full URI parser over it, once per
     * request forwarded and once more per Record-Route.
     */
    public SipURI sipUri(String user, String host) throws ParseException {
        if ((user == null || plain(user, "+._-")) && plain(host, ".-")) {
            gov.nist.javax.sip.address.SipUri uri = new gov.nist.javax.sip.address.SipUri();
            if (user != null) {
                uri.setUser(user);
            }
            uri.setHost(host);
            return uri;
        }
        return addresses.createSipURI(user, host);
    }

    private static boolean plain(String text, String punctuation) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || punctuation.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** Our Via for a request leaving from {@code own}. */
    public ViaHeader via(ListenAddress own, String branch) {
        try {
            return headers.createViaHeader(own.bareAdvertisedHost(), own.advertisedPort(), own.transport().token(), branch);
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("own Via rejected: " + own, e);
        }
    }

    /** Puts our Via on top of {@code request}. */
    public void addVia(Request request, ListenAddress own, String branch) {
        try {
            addOnTop(request, via(own, branch));
        } catch (javax.sip.SipException e) {
            throw new IllegalStateException("own Via rejected: " + own, e);
        }
    }

    /**
     * Puts {@code header} above those of its name in {@code message}: what
     * {@code message.addFirst(header)} does, without its detour for a Via or a Record-Route.
     * There, JAIN-SIP makes a one-entry list of the header by reflection, looks for the first
     * header of the name and compares every header of the message with it, then merges the
     * list into the message's own: two percent of the router's CPU at 2,000 calls/s, for the Via
     * and Record-Route of every request it forwards. Here the header goes straight onto the
     * message's list, or into a new list when the message has none yet.
     */
    public static void addOnTop(Message message, Header header) throws javax.sip.SipException {
        if (message instanceof SIPMessage sip) {
            if (header instanceof Via via) {
                ViaList vias = sip.getViaHeaders();
                if (vias != null) {
                    vias.addFirst(via);
                    return;
                }
            } else if (header instanceof RecordRoute recordRoute) {
                RecordRouteList recordRoutes = sip.getRecordRouteHeaders();
                if (recordRoutes != null) {
                    recordRoutes.addFirst(recordRoute);
                } else {
                    recordRoutes = new RecordRouteList();
                    recordRoutes.add(recordRoute);
                    try {
                        sip.attachHeader(recordRoutes, false, true);
                    } catch (SIPDuplicateHeaderException e) {
                        throw new javax.sip.SipException("cannot add " + header, e);
                    }
                }
                return;
            }
        }
        message.addFirst(header);
    }

    /**
     * Our Record-Route entry for the leg on {@code own} (loose routing, transport named), with
     * the dialog's {@link RouteToken} so that its in-dialog requests can prove they are ours.
     */
    public RecordRouteHeader recordRoute(ListenAddress own, String token) {
        try {
            SipURI uri = sipUri(null, own.advertisedHost());
            uri.setPort(own.advertisedPort());
            uri.setLrParam();
            uri.setTransportParam(own.transport().token());
            uri.setParameter(RouteToken.PARAMETER, token);
            return headers.createRecordRouteHeader(addresses.createAddress(uri));
        } catch (ParseException e) {
            throw new IllegalStateException("own Record-Route rejected: " + own, e);
        }
    }

    public AllowHeader allow() {
        try {
            return headers.createAllowHeader(ALLOWED_METHODS);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Our response to {@code request}; a 503 carries Retry-After, a 405 and a 200 to OPTIONS carry Allow. */
    public Response response(int code, Request request) {
        try {
            Response r = messages.createResponse(code, request);
            if (code == Response.SERVICE_UNAVAILABLE) {
                r.addHeader(headers.createRetryAfterHeader(RETRY_AFTER_S));
            } else if (code == Response.METHOD_NOT_ALLOWED || code == Response.OK && Request.OPTIONS.equals(request.getMethod())) {
                r.addHeader(allow());
            }
            return r;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("cannot answer " + code, e);
        }
    }

    private static int statelessTagSeed(Request request) {
        javax.sip.header.CallIdHeader callId = (javax.sip.header.CallIdHeader) request.getHeader(javax.sip.header.CallIdHeader.NAME);
        javax.sip.header.FromHeader from = (javax.sip.header.FromHeader) request.getHeader(javax.sip.header.FromHeader.NAME);
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return java.util.Objects.hash(callId == null ? null : callId.getCallId(), from == null ? null : from.getTag(),
                via == null ? null : via.getBranch());
    }

    /** Whether a request may not be forwarded any further (Max-Forwards 0, RFC 3261 16.3 step 3). */
    public static boolean maxForwardsSpent(Request request) {
        MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        return mf != null && mf.getMaxForwards() <= 0;
    }

    /**
     * Max-Forwards of a request being forwarded (RFC 3261 16.6 step 3): decremented, or added
     * with {@link #MAX_FORWARDS} when the sender left it out, so that a loop always ends.
     */
    public void forwardMaxForwards(Request request) {
        MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        try {
            if (mf == null) {
                request.setHeader(headers.createMaxForwardsHeader(MAX_FORWARDS));
            } else {
                mf.setMaxForwards(Math.max(0, mf.getMaxForwards() - 1));
            }
        } catch (InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Our stateless answer to {@code request}: a final response carries a To-tag, as a UAS's would. */
    public Response statelessResponse(int code, Request request, String reason) {
        Response r = response(code, request);
        try {
            if (reason != null) {
                r.setReasonPhrase(reason);
            }
            javax.sip.header.ToHeader to = (javax.sip.header.ToHeader) r.getHeader(javax.sip.header.ToHeader.NAME);
            if (code >= 200 && to != null && to.getTag() == null) {
                // the same tag for every retransmission of the request (RFC 3261 8.2.6.2): a
                // stateless answer has no memory, so it derives the tag from the request
                to.setTag("sv" + Integer.toHexString(statelessTagSeed(request)));
            }
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        return r;
    }

    /**
     * The transport a URI asks for: TLS for any sips: URI (a {@code ;transport=udp} on one
     * would be a downgrade), else its transport parameter, else UDP.
     */
    public static Transport transportOf(URI uri) {
        if (uri instanceof SipURI sip) {
            if (sip.isSecure()) {
                return Transport.TLS;
            }
            String t = sip.getTransportParam();
            if (t != null) {
                return parseTransport(t);
            }
            return Transport.UDP;
        }
        return Transport.UDP;
    }

    /**
     * Whether sending {@code request} over {@code transport} would take a {@code sips:}
     * Request-URI over a hop that is not TLS, which RFC 3261 (26.2.2) forbids: such a request
     * is refused, never sent.
     */
    public static boolean downgrades(Request request, Transport transport) {
        return transport != Transport.TLS && request.getRequestURI() instanceof SipURI sip && sip.isSecure();
    }

    /** A Via or URI transport token; unknown ones count as UDP. */
    public static Transport parseTransport(String token) {
        try {
            return Transport.parse(token);
        } catch (IllegalArgumentException e) {
            return Transport.UDP;
        }
    }
}
