package io.sipvane.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.config.ListenAddress;
import io.sipvane.core.model.Transport;
import java.net.InetAddress;
import java.util.List;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import org.junit.jupiter.api.Test;

class LocalAddressesTest {
    private static final ListenAddress PUBLIC = ListenAddress.parse("udp:127.0.0.1:5060");
    private static final ListenAddress PBX_SIDE = ListenAddress.parse("udp:127.0.0.2:5060");
    private static final ListenAddress NAT = ListenAddress.parse("tcp:0.0.0.0:5060;advertise=203.0.113.10:5080");

    private final LocalAddresses local = new LocalAddresses(List.of(PUBLIC, PBX_SIDE, NAT));

    @Test
    void toward_picksTheListenerSharingTheLongestPrefixWithTheDestination() throws Exception {
        assertThat(local.toward(Transport.UDP, InetAddress.getByName("127.0.0.2"), PUBLIC)).isEqualTo(PBX_SIDE);
        assertThat(local.toward(Transport.UDP, InetAddress.getByName("127.0.0.1"), PBX_SIDE)).isEqualTo(PUBLIC);
    }

    @Test
    void toward_onATie_prefersTheListenerTheRequestArrivedOn() throws Exception {
        InetAddress elsewhere = InetAddress.getByName("127.0.0.4"); // 29 bits in common with both
        assertThat(local.toward(Transport.UDP, elsewhere, PBX_SIDE)).isEqualTo(PBX_SIDE);
        assertThat(local.toward(Transport.UDP, elsewhere, PUBLIC)).isEqualTo(PUBLIC);
        assertThat(local.toward(Transport.UDP, null, null)).as("first configured").isEqualTo(PUBLIC);
    }

    @Test
    void toward_aTransportWeDoNotListenOnIsNull() {
        assertThat(local.toward(Transport.TLS, null, null)).isNull();
    }

    @Test
    void isOwn_matchesBoundAndAdvertisedAddresses_butNotAWildcard() throws Exception {
        AddressFactory af = SipFactory.getInstance().createAddressFactory();
        assertThat(local.isOwn(af.createURI("sip:127.0.0.2;lr"))).as("default port 5060").isTrue();
        assertThat(local.isOwn(af.createURI("sip:203.0.113.10:5080;lr"))).isTrue();
        assertThat(local.isOwn(af.createURI("sip:0.0.0.0:5060"))).isFalse();
        assertThat(local.isOwn(af.createURI("sip:127.0.0.1:5071"))).isFalse();
    }

    @Test
    void arrival_findsTheListenerBoundToTheLocalAddress() throws Exception {
        assertThat(local.arrival(Transport.UDP, InetAddress.getByName("127.0.0.2"), 5060)).isEqualTo(PBX_SIDE);
        assertThat(local.arrival(Transport.TCP, InetAddress.getByName("10.1.2.3"), 5060)).as("wildcard").isEqualTo(NAT);
    }
}
