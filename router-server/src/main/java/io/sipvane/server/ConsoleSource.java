package io.sipvane.server;

import io.sipvane.admin.console.ConsoleData;
import io.sipvane.core.health.PassiveQuarantine;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.store.ConfigStore;
import io.sipvane.sip.health.LastProbes;
import io.sipvane.sip.metrics.CallJournal;
import io.sipvane.sip.metrics.FinishedCall;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The console's view of the SIP side, adapted from what router-sip keeps: the API's health
 * state with its reason (unused, disabled, quarantined, or what the last probe got) and the
 * last probe's round trip, per-URI traffic from the {@link CallJournal}, and the account's
 * recent calls. Reads only: lock-free maps and the current config.
 */
final class ConsoleSource implements ConsoleData {
    private final ConfigStore store;
    private final Function<UUID, String> states;
    private final PassiveQuarantine quarantine;
    private final LastProbes probes;
    private final CallJournal journal;

    /** @param states the API's {@code state} of a URI ({@link Sipvane#state}) */
    ConsoleSource(ConfigStore store, Function<UUID, String> states, PassiveQuarantine quarantine, LastProbes probes,
                  CallJournal journal) {
        this.store = store;
        this.states = states;
        this.quarantine = quarantine;
        this.probes = probes;
        this.journal = journal;
    }

    @Override
    public UriHealth health(UUID uriId) {
        String state = states.apply(uriId);
        OriginationUri uri = store.current().originationUri(uriId).orElse(null);
        if (state.equals("unused")) {
            return new UriHealth(state, "no trunk routes to it", null);
        }
        if (uri != null && !uri.enabled()) {
            return new UriHealth("down", "disabled: not probed, takes no calls", null);
        }
        LastProbes.Probe last = probes.last(uriId);
        Long rtt = last != null && last.code() != null ? last.rttMicros() : null;
        if (!quarantine.isUp(uriId)) {
            return new UriHealth("down", "quarantined: " + quarantine.threshold() + " failed calls in a row", rtt);
        }
        if (last == null) {
            return new UriHealth(state, state.equals("probing") ? "waiting for the first probe" : "not probed", null);
        }
        String reason = last.code() != null ? "probe answered " + last.code() : "probe: " + last.failure();
        return new UriHealth(state, reason, rtt);
    }

    @Override
    public UriTraffic traffic(UUID uriId) {
        CallJournal.Window w = journal.window(uriId);
        return new UriTraffic(w.calls(), w.failovers());
    }

    @Override
    public List<RecentCall> recentCalls(String accountId) {
        return journal.recent(accountId).stream().map(ConsoleSource::call).toList();
    }

    private static RecentCall call(FinishedCall c) {
        return new RecentCall(c.endedAt(), c.callId(), c.trunkId(), c.trunkName(), c.from(), c.to(), c.outcome(), c.code(),
                c.postDialDelayMs(), c.attempts().stream()
                        .map(a -> new TriedUri(a.uriId(), a.name(), a.uri(), a.result(), a.millis())).toList());
    }
}
