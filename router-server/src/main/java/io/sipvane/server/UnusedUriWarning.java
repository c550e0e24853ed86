package io.sipvane.server;

import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.routing.RoutingSnapshot;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WARN naming the origination URIs no trunk routes to, at start and whenever that set
 * changes (reload, API write), so a URI that would never be called is seen as such.
 */
final class UnusedUriWarning {
    private static final Logger LOG = LoggerFactory.getLogger(UnusedUriWarning.class);

    private Set<UUID> last = Set.of();

    synchronized void published(RoutingSnapshot snapshot) {
        Set<UUID> unused = snapshot.unused();
        if (!unused.isEmpty() && !unused.equals(last)) {
            LOG.warn("{}", describe(snapshot.config(), unused));
        }
        last = Set.copyOf(unused);
    }

    /** The warning's text; also printed by {@code sipvane check}. */
    static String describe(SipvaneConfig config, Set<UUID> unused) {
        List<String> names = config.originationUris().stream().filter(u -> unused.contains(u.id()))
                .map(UnusedUriWarning::name).toList();
        return names.size() + " origination URI(s) used by no trunk (never probed, never called): " + String.join(", ", names)
                + "; give each a trunk_id, or name it as a trunk's primary_uri_uuid/fallback_uri_uuid (an account-level URI"
                + " is used only by the account's trunks that have no URIs of their own)";
    }

    private static String name(OriginationUri u) {
        return u.id() + " \"" + u.name() + "\" " + u.uri();
    }
}
