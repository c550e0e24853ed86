package io.sipvane.sip.message;

import io.sipvane.sip.stack.LocalAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import javax.sip.address.URI;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;

/** Loose routing (RFC 3261 16.4, 16.12): which Route entries are ours, and where a request goes next. */
public final class RouteSet {
    private final LocalAddresses local;

    public RouteSet(LocalAddresses local) {
        this.local = local;
    }

    public boolean isOwn(URI uri) {
        return local.isOwn(uri);
    }

    /** Whether a Via sent-by names us. */
    public boolean isOwnSentBy(String host, int port) {
        return local.isOwn(host, port);
    }

    /** Where a request goes next: its first Route entry past the leading ones naming us, else its Request-URI. */
    public URI nextHop(Request request) {
        ListIterator<?> it = request.getHeaders(RouteHeader.NAME);
        while (it.hasNext()) {
            URI uri = ((RouteHeader) it.next()).getAddress().getURI();
            if (!local.isOwn(uri)) {
                return uri;
            }
        }
        return request.getRequestURI();
    }

    /** Removes the leading Route entries that name this router. */
    public void removeOwnRoutes(Request request) {
        ListIterator<?> it = request.getHeaders(RouteHeader.NAME);
        List<RouteHeader> kept = new ArrayList<>();
        boolean leading = true;
        boolean removed = false;
        while (it.hasNext()) {
            RouteHeader route = (RouteHeader) it.next();
            if (leading && local.isOwn(route.getAddress().getURI())) {
                removed = true;
                continue;
            }
            leading = false;
            kept.add(route);
        }
        if (removed) {
            request.removeHeader(RouteHeader.NAME);
            for (RouteHeader r : kept) {
                request.addHeader(r);
            }
        }
    }
}
