package io.sipvane.sip.dns;

import io.sipvane.core.testing.Await;
import io.sipvane.sip.testing.TestUa;
import io.sipvane.sip.testing.TestRouter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipvane.core.config.DnsSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

class DnsCacheTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void answersAreCachedForTheTtl_andFailuresForTheNegativeTtl() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        try (DnsCache dns = new DnsCache(new DnsSettings(60_000, 150), host -> {
            lookups.incrementAndGet();
            if (host.equals("pbx.test")) {
                return LOOPBACK;
            }
            throw new UnknownHostException(host);
        })) {
            assertThat(dns.resolve("pbx.test").get(10, TimeUnit.SECONDS)).isEqualTo(LOOPBACK);
            assertThat(dns.resolve("pbx.test").get(10, TimeUnit.SECONDS)).isEqualTo(LOOPBACK);
            assertThat(lookups.get()).isEqualTo(1);

            assertThatThrownBy(() -> dns.resolve("nowhere.test").get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(UnknownHostException.class);
            assertThatThrownBy(() -> dns.resolve("nowhere.test").get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThat(lookups.get()).isEqualTo(2); // the failure was remembered

            // asked again and again until the negative TTL has passed and it is looked up once more
            Await.until("a lookup after the negative TTL", Duration.ofSeconds(20), () -> {
                dns.resolve("nowhere.test").exceptionally(e -> null).get(10, TimeUnit.SECONDS);
                return lookups.get() != 2;
            });
            assertThat(lookups.get()).isEqualTo(3); // tried again after the negative TTL
        }
    }

    @Test
    void aFailedLookupIsOneWarningNamingTheUrisThatUseTheName() throws Exception {
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines = new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(DnsCache.class);
        logger.addAppender(lines);
        try (DnsCache dns = new DnsCache(new DnsSettings(60_000, 60_000), host -> {
            throw new UnknownHostException(host + ": Name or service not known");
        }, host -> "aabbccdd-0000-4000-8000-000000000001 \"PBX A\" sip:" + host)) {
            dns.resolve("nowhere.test").exceptionally(e -> null).get(10, TimeUnit.SECONDS);
            dns.resolve("nowhere.test").exceptionally(e -> null).get(10, TimeUnit.SECONDS);
        } finally {
            logger.detachAppender(lines);
        }
        assertThat(lines.list).hasSize(1); // the failure is remembered, not looked up and logged again
        assertThat(lines.list.get(0).getFormattedMessage()).startsWith(
                "cannot resolve nowhere.test for aabbccdd-0000-4000-8000-000000000001 \"PBX A\" sip:nowhere.test: "
                        + "java.net.UnknownHostException: nowhere.test: Name or service not known");
    }

    @Test
    void concurrentLookupsOfOneNameShareOneQuery() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (DnsCache dns = new DnsCache(DnsSettings.DEFAULT, host -> {
            lookups.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return LOOPBACK;
        })) {
            List<CompletableFuture<InetAddress>> pending = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                pending.add(dns.resolve("pbx.test"));
            }
            assertThat(pending).allMatch(f -> !f.isDone()); // nobody blocked: the callers got futures
            release.countDown();
            for (CompletableFuture<InetAddress> f : pending) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(LOOPBACK);
            }
            assertThat(lookups.get()).isEqualTo(1);
        }
    }

    @Test
    void routing_resolvesNamesOffTheListener_andAnUnresolvableNameFailsOver() throws Exception {
        try (TestUa pbx = TestUa.start("pbx"); TestUa backup = TestUa.start("backup"); TestUa caller = TestUa.start("caller");
                TestRouter router = TestRouter.builder()
                        .dest("sip:nowhere.test:" + pbx.port, 1, 10)
                        .dest("sip:pbx.test:" + pbx.port, 2, 10)
                        .dest(backup.uri(), 3, 10)
                        .resolver(host -> {
                            if (host.equals("pbx.test")) {
                                return InetAddress.getByName("127.0.0.1");
                            }
                            throw new UnknownHostException(host);
                        }).start()) {

            assertThat(caller.invite(router.callee(), router.port, "udp").awaitFinal().getStatusCode()).isEqualTo(200);
            Request invite = pbx.await(Request.INVITE, 20_000);
            assertThat(invite.getRequestURI().toString()).isEqualTo("sip:+14155550100@pbx.test:" + pbx.port);
            assertThat(backup.invites.get()).isZero();
        }
    }
}
