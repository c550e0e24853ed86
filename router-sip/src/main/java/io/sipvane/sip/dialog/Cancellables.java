package io.sipvane.sip.dialog;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * The INVITE transactions in progress that a CANCEL can reach (RFC 3261 9.2: same Call-ID and
 * top Via branch): new calls and re-INVITEs. The in-flight count is of new calls only.
 */
public final class Cancellables {
    /** Something a CANCEL stops. */
    public interface Target {
        void onCancel();
    }

    private final Map<String, Target> calls = new ConcurrentHashMap<>();
    private final Map<String, Target> reinvites = new ConcurrentHashMap<>();

    /** The key of an INVITE or of the CANCEL for it. */
    public static String key(Request request) {
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return callId.getCallId() + "|" + via.getBranch();
    }

    public void addCall(String key, Target call) {
        calls.put(key, call);
    }

    void addReinvite(String key, Target relay) {
        reinvites.put(key, relay);
    }

    public void remove(String key) {
        if (calls.remove(key) == null) {
            reinvites.remove(key);
        }
    }

    /** The call or re-INVITE a CANCEL is for, or null. */
    public Target find(Request cancel) {
        String key = key(cancel);
        Target call = calls.get(key);
        return call != null ? call : reinvites.get(key);
    }

    /** New calls being routed now. */
    public int calls() {
        return calls.size();
    }
}
