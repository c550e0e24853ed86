package io.sipvane.sip.auth;

import io.sipvane.sip.testing.TestUa;
import io.sipvane.sip.testing.TestRouter;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import javax.sip.message.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Digest authentication toward a PBX that challenges the INVITE, through real SIP on loopback. */
class DigestAuthTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private <T extends AutoCloseable> T closing(T c) {
        closeables.add(0, c);
        return c;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private TestUa challengingPbx(String algorithm, boolean proxy) throws Exception {
        TestUa pbx = closing(TestUa.start("pbx"));
        pbx.challengeRealm = "pbx.example.com";
        pbx.challengePassword = "s3cret-Pa55";
        pbx.challengeAlgorithm = algorithm;
        pbx.proxyChallenge = proxy;
        return pbx;
    }

    @Test
    void challenge401_md5_isAnsweredOnce_andTheCallCompletes() throws Exception {
        TestUa pbx = challengingPbx("MD5", false);
        TestRouter router = closing(TestRouter.builder().destWithAuth(pbx.uri(), 1, 10, "trunkuser", "s3cret-Pa55").start());
        TestUa caller = closing(TestUa.start("caller"));

        assertThat(caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(pbx.challenges.get()).isEqualTo(1);
        assertThat(pbx.authorized.get()).isEqualTo(1);
    }

    @Test
    void challenge407_sha256_isAnswered() throws Exception {
        TestUa pbx = challengingPbx("SHA-256", true);
        TestRouter router = closing(TestRouter.builder().destWithAuth(pbx.uri(), 1, 10, "trunkuser", "s3cret-Pa55").start());
        TestUa caller = closing(TestUa.start("caller"));

        assertThat(caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(pbx.authorized.get()).isEqualTo(1);
    }

    @Test
    void wrongPassword_is403_andFailsOverToTheNextDestination() throws Exception {
        TestUa pbx = challengingPbx("MD5", false);
        TestUa backup = closing(TestUa.start("backup"));
        TestRouter router = closing(TestRouter.builder().destWithAuth(pbx.uri(), 1, 10, "trunkuser", "wrong")
                .dest(backup.uri(), 2, 10).start());
        TestUa caller = closing(TestUa.start("caller"));

        assertThat(caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(200);
        assertThat(pbx.authorized.get()).isZero();
        assertThat(backup.await(Request.INVITE, 20_000)).isNotNull();
    }

    @Test
    void challengeWithoutCredentials_failsOver_andIsNeverRelayedToTheCaller() throws Exception {
        TestUa pbx = challengingPbx("MD5", false);
        TestRouter router = closing(TestRouter.builder().dest(pbx.uri(), 1, 10).start());
        TestUa caller = closing(TestUa.start("caller"));

        int code = caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode();

        assertThat(code).isEqualTo(503);
        assertThat(pbx.challenges.get()).isEqualTo(1);
    }
}
