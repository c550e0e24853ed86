package io.sipvane.sip.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.sip.testing.Closer;
import io.sipvane.sip.testing.TestPki;
import io.sipvane.sip.testing.TestRouter;
import io.sipvane.sip.testing.TestUa;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Suites no maintained client will still offer (Debian's OpenSSL is built without 3DES, the
 * JDK disables it), offered anyway in a hand-made TLS 1.2 ClientHello to the router's
 * listener. The same hello with an AEAD suite gets a ServerHello, so the refusal is the
 * suite's, not the hello's.
 */
class RawClientHelloTest {
    private static final int TLS_RSA_WITH_3DES_EDE_CBC_SHA = 0x000A;
    private static final int TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA = 0xC008;
    private static final int TLS_DH_ANON_WITH_AES_128_GCM_SHA256 = 0x00A6;
    private static final int TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = 0xC02B;
    private static final int RECORD_HANDSHAKE = 22;
    private static final int RECORD_ALERT = 21;
    private static final int ALERT_HANDSHAKE_FAILURE = 40;

    private final Closer closer = new Closer();
    @TempDir
    Path dir;
    private int tlsPort;

    @BeforeEach
    void router() throws Exception {
        TestPki pki = TestPki.create(dir, "test");
        TestPki.Issued router = pki.issue("router", "127.0.0.1");
        tlsPort = TestUa.freePort();
        closer.track(TestRouter.builder().tlsListener(tlsPort, router, null, "").start());
    }

    @AfterEach
    void closeAll() throws Exception {
        closer.close();
    }

    @Test
    void tripleDesOnly_getsAHandshakeFailureAlert() throws Exception {
        int[] reply = hello(TLS_RSA_WITH_3DES_EDE_CBC_SHA, TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA);

        assertThat(reply[0]).as("record type").isEqualTo(RECORD_ALERT);
        assertThat(reply[1]).as("alert").isEqualTo(ALERT_HANDSHAKE_FAILURE);
    }

    @Test
    void anonymousDhOnly_getsAHandshakeFailureAlert() throws Exception {
        int[] reply = hello(TLS_DH_ANON_WITH_AES_128_GCM_SHA256);

        assertThat(reply[0]).as("record type").isEqualTo(RECORD_ALERT);
        assertThat(reply[1]).as("alert").isEqualTo(ALERT_HANDSHAKE_FAILURE);
    }

    @Test
    void theSameHelloWithAnAeadSuite_getsAServerHello() throws Exception {
        int[] reply = hello(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_3DES_EDE_CBC_SHA);

        assertThat(reply[0]).as("record type").isEqualTo(RECORD_HANDSHAKE);
        assertThat(reply[1]).as("handshake type: ServerHello").isEqualTo(2);
    }

    /** Sends a TLS 1.2 ClientHello offering {@code suites}; returns the reply's record type and its first body byte. */
    private int[] hello(int... suites) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", tlsPort), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(clientHello(suites));
            DataInputStream in = new DataInputStream(s.getInputStream());
            int type = in.readUnsignedByte();
            in.readUnsignedShort(); // version
            in.readUnsignedShort(); // length
            int first = in.readUnsignedByte();
            if (type == RECORD_ALERT) {
                first = in.readUnsignedByte(); // level, then description
            }
            return new int[] {type, first};
        }
    }

    private static byte[] clientHello(int... suites) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        short16(body, 0x0303); // TLS 1.2
        body.writeBytes(new byte[32]); // random (all zero is fine for a refusal)
        body.write(0); // no session id
        short16(body, suites.length * 2);
        for (int suite : suites) {
            short16(body, suite);
        }
        body.write(1); // one compression method:
        body.write(0); // null
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        extension(ext, 0x000a, new byte[] {0, 2, 0, 0x17}); // supported_groups: secp256r1
        extension(ext, 0x000b, new byte[] {1, 0}); // ec_point_formats: uncompressed
        extension(ext, 0x000d, new byte[] {0, 4, 4, 3, 4, 1}); // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pkcs1_sha256
        extension(ext, 0xff01, new byte[] {0}); // renegotiation_info (empty)
        short16(body, ext.size());
        body.writeBytes(ext.toByteArray());

        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        handshake.write(1); // ClientHello
        handshake.write(0);
        short16(handshake, body.size());
        handshake.writeBytes(body.toByteArray());

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(RECORD_HANDSHAKE);
        short16(record, 0x0301);
        short16(record, handshake.size());
        record.writeBytes(handshake.toByteArray());
        return record.toByteArray();
    }

    private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
        short16(out, type);
        short16(out, data.length);
        out.writeBytes(data);
    }

    private static void short16(ByteArrayOutputStream out, int value) {
        out.write((value >> 8) & 0xff);
        out.write(value & 0xff);
    }
}
