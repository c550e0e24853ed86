package io.sipvane.sip.proxy;

import io.sipvane.sip.dialog.StatelessRelay;
import io.sipvane.sip.stack.StatelessPath;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * What the stack's valve hands over before its transaction layer: in-dialog requests and
 * their responses to the stateless relay, and responses that match no transaction to the
 * stray-response handling.
 */
final class ValvePath implements StatelessPath {
    private final StatelessRelay relay;
    private final StrayResponses strays;

    ValvePath(StatelessRelay relay, StrayResponses strays) {
        this.relay = relay;
        this.strays = strays;
    }

    @Override
    public boolean relay(Request request) {
        return relay.relay(request);
    }

    @Override
    public boolean relay(Response response) throws Exception {
        return relay.relay(response);
    }

    @Override
    public void stray(Response response) throws Exception {
        strays.handle(response);
    }
}
