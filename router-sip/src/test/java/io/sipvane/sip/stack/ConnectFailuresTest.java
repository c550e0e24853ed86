package io.sipvane.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.sipvane.sip.testing.LogCapture;
import java.net.ConnectException;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConnectFailuresTest {
    @Test
    void failed_logsOneLinePerDestinationPerInterval_withTheCountHeldBack() throws Exception {
        AtomicLong now = new AtomicLong();
        ConnectFailures failures = new ConnectFailures(now::get);
        InetAddress a = InetAddress.getByName("127.0.0.1");
        InetAddress b = InetAddress.getByName("127.0.0.2");
        String prefix = "WARN " + ConnectFailures.class.getName() + " - ";
        try (LogCapture log = LogCapture.serverLevels()) {
            for (int i = 0; i < 100; i++) {
                failures.failed("TCP", a, 5099, new ConnectException("Connection refused"));
            }
            failures.failed("TCP", b, 5099, new ConnectException("Connection refused"));
            now.addAndGet(TimeUnit.SECONDS.toNanos(10));
            failures.failed("TCP", a, 5099, new ConnectException("connect timed out"));
            assertThat(log.lines(Level.WARN)).containsExactly(
                    prefix + "TCP connection to 127.0.0.1:5099 failed: Connection refused",
                    prefix + "TCP connection to 127.0.0.2:5099 failed: Connection refused",
                    prefix + "TCP connection to 127.0.0.1:5099 failed: connect timed out (and 99 more in the 10 s before)");
        }
    }
}
