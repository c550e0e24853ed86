package io.sipvane.core.config;

import io.sipvane.core.model.Checks;

/**
 * The {@code capture:} section: where a copy of every SIP message received and sent goes, as
 * HEPv3 over UDP (a Homer or heplify-server collector, or {@code sngrep -L}).
 *
 * @param hepHost null when capture is off
 * @param hepPort the collector's UDP port (0 when off)
 * @param agentId the capture agent id HEP carries, to tell routers apart at the collector
 */
public record CaptureSettings(String hepHost, int hepPort, int agentId) {

    public static final CaptureSettings OFF = new CaptureSettings(null, 0, 0);

    public CaptureSettings {
        Checks.range(agentId, 0, Integer.MAX_VALUE, "agent_id");
        if (hepHost != null) {
            Checks.range(hepPort, 1, 65535, "hep");
        }
    }

    /** Parses {@code udp:HOST:PORT} (the only transport HEP capture uses here). */
    public static CaptureSettings parse(String hep, int agentId) {
        if (!hep.startsWith("udp:")) {
            throw new IllegalArgumentException("hep: \"" + hep + "\" (expected: udp:HOST:PORT)");
        }
        HostPort hp = HostPort.parse(hep.substring(4), "hep: \"" + hep + "\"");
        String host = hp.host().startsWith("[") ? hp.host().substring(1, hp.host().length() - 1) : hp.host();
        return new CaptureSettings(host, hp.port(), agentId);
    }

    public boolean enabled() {
        return hepHost != null;
    }

    /** The {@code hep} value as written in the file. */
    public String hep() {
        return hepHost == null ? null : "udp:" + (hepHost.indexOf(':') >= 0 ? "[" + hepHost + "]" : hepHost) + ":" + hepPort;
    }
}
