package io.sipvane.core.routing;

import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Transport;
import io.sipvane.core.uri.SipUri;
import java.util.UUID;

/**
 * One origination URI as the router uses it: where to send, at which priority and weight.
 * Built once per snapshot. The priority is the effective one (a Plivo-style trunk puts its
 * primary at 1 and its fallback at 2).
 */
public record Destination(OriginationUri source, int priority) {

    public UUID id() {
        return source.id();
    }

    public SipUri target() {
        return source.target();
    }

    public Transport transport() {
        return source.transport();
    }

    public int weight() {
        return source.weight();
    }

    /** The port to send to: explicit, or the transport's default. */
    public int port() {
        return source.target().portOr(source.transport());
    }

    @Override
    public String toString() {
        return "Destination[" + source.uri() + ", priority=" + priority + ", weight=" + weight() + "]";
    }
}
