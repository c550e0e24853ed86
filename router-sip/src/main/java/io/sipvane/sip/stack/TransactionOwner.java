package io.sipvane.sip.stack;

import javax.sip.message.Response;

/**
 * Whoever sent a client transaction's request (a call's branch, an in-dialog relay, a probe,
 * a cleanup CANCEL or BYE): the listener hands each of the transaction's events to it. Set as
 * the transaction's application data.
 */
public interface TransactionOwner {
    void onResponse(Response response) throws Exception;

    /** Timer B or F fired: nothing answered. */
    void onTimeout();

    /** The connection or datagram carrying the request failed; by default the same as silence. */
    default void onTransportError(String what) {
        onTimeout();
    }

    /** Owner of requests whose answers need nothing done (CANCEL and BYE we send to clean up). */
    TransactionOwner IGNORE = new TransactionOwner() {
        @Override
        public void onResponse(Response response) {}

        @Override
        public void onTimeout() {}
    };
}
