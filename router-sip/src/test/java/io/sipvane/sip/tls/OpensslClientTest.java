package io.sipvane.sip.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.sip.testing.Closer;
import io.sipvane.sip.testing.TestPki;
import io.sipvane.sip.testing.TestRouter;
import io.sipvane.sip.testing.TestUa;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router's TLS listener as {@code openssl s_client} (a TLS implementation nobody here
 * wrote) sees it. The client is told to offer what it would refuse itself
 * ({@code @SECLEVEL=0}), so a refusal is the router's.
 */
class OpensslClientTest {
    private final Closer closer = new Closer();
    @TempDir
    Path dir;
    private TestPki pki;
    private int tlsPort;

    @BeforeEach
    void router() throws Exception {
        pki = TestPki.create(dir, "test");
        TestPki.Issued router = pki.issue("router", "127.0.0.1");
        tlsPort = TestUa.freePort();
        closer.track(TestRouter.builder().tlsListener(tlsPort, router, null, "").start());
    }

    @AfterEach
    void closeAll() throws Exception {
        closer.close();
    }

    @Test
    void defaultClient_negotiatesTls13_andVerifiesTheChain() throws Exception {
        Result r = sClient("-CAfile", pki.caPem.toString(), "-verify_return_error");

        assertThat(r.output).contains("TLSv1.3").contains("Verify return code: 0 (ok)");
        assertThat(r.exit).isZero();
    }

    @Test
    void tls11_isRefused() throws Exception {
        Result r = sClient("-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");

        assertThat(r.output).contains("alert protocol version").contains("Cipher is (NONE)");
        assertThat(r.exit).isNotZero();
    }

    @Test
    void cbcSha1_isRefused_overTls12() throws Exception {
        Result r = sClient("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:@SECLEVEL=0");

        assertThat(r.output).contains("alert handshake failure").contains("Cipher is (NONE)");
        assertThat(r.exit).isNotZero();
    }

    @Test
    void anonymousSuites_areRefused() throws Exception {
        Result r = sClient("-tls1_2", "-cipher", "aNULL:@SECLEVEL=0");

        assertThat(r.output).contains("alert handshake failure").contains("Cipher is (NONE)");
        assertThat(r.exit).isNotZero();
    }

    @Test
    void tls12_withAnAeadSuite_isAccepted() throws Exception {
        Result r = sClient("-tls1_2", "-CAfile", pki.caPem.toString());

        assertThat(r.output).contains("Protocol  : TLSv1.2").containsPattern("Cipher\\s+: ECDHE-ECDSA-(AES\\d+-GCM|CHACHA20)");
        assertThat(r.exit).isZero();
    }

    private record Result(int exit, String output) {}

    private Result sClient(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + tlsPort));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close(); // EOF on stdin: s_client closes once the handshake is done
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("openssl s_client ended").isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
