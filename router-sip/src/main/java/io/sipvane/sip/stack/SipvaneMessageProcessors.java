package io.sipvane.sip.stack;

import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessorFactory;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;
import javax.sip.ListeningPoint;

/**
 * The stack's listeners as sipvane runs them (stack property
 * {@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY}): UDP through {@link InlineUdpProcessor},
 * TCP and TLS as the stack makes them. The stack instantiates this class by name, hence public
 * with a no-arg constructor.
 */
public final class SipvaneMessageProcessors implements MessageProcessorFactory {
    private final OIOMessageProcessorFactory standard = new OIOMessageProcessorFactory();

    public SipvaneMessageProcessors() {}

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port,
                                                   String transport) throws IOException {
        if (ListeningPoint.UDP.equalsIgnoreCase(transport)) {
            return new InlineUdpProcessor(address, stack, port);
        }
        return standard.createMessageProcessor(stack, address, port, transport);
    }
}
