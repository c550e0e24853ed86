package io.sipvane.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.sipvane.sip.testing.LogCapture;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Slf4jStackLoggerTest {
    private final Slf4jStackLogger logger = new Slf4jStackLogger();

    @Test
    void logError_withAMessageInside_isOneWarnLineWithoutBodyOrTrace_andTheWholeAtDebug() {
        try (LogCapture log = LogCapture.serverLevels().level("gov.nist", Level.DEBUG)) {
            logger.logError("Something failed for message INVITE sip:+14155550100@10.0.0.1 SIP/2.0\r\nFrom: <sip:+1999>\r\n\r\nv=0",
                    new IOException("boom\nsecond line"));
            assertThat(log.lines(Level.WARN)).containsExactly(
                    "WARN gov.nist.javax.sip - Something failed for message INVITE sip:+14155550100@10.0.0.1 SIP/2.0...: java.io.IOException: boom...");
            assertThat(log.atLeast(Level.DEBUG)).hasSize(2);
            assertThat(log.atLeast(Level.DEBUG).get(1).getThrowableProxy()).isNotNull();
        }
    }

    @Test
    void logError_ofAByteArray_leavesTheBytesOut() {
        byte[] buffer = new byte[65_535];
        try (LogCapture log = LogCapture.serverLevels()) {
            logger.logError("Error while processing incoming UDP packet" + Arrays.toString(buffer), new IllegalStateException("x"));
            assertThat(log.lines(Level.WARN)).containsExactly(
                    "WARN gov.nist.javax.sip - Error while processing incoming UDP packet (bytes at DEBUG): java.lang.IllegalStateException: x");
        }
    }

    @Test
    void connectFailuresParseFailuresAndTableDumps_stayAtDebug() {
        try (LogCapture log = LogCapture.serverLevels()) {
            logger.logError("Problem connecting /127.0.0.1 5099 /127.0.0.1 for message INVITE sip:x SIP/2.0\r\n");
            logger.logError("Problem sending: sendBytes TCP inAddr 127.0.0.1 port = 5099");
            logger.logError("{127.0.0.1:5099=Socket[addr=/127.0.0.1,port=5099]}");
            logger.logError("Could not connect to /127.0.0.1:5099");
            logger.logError("Error is ", new IOException("Could not connect"));
            logger.logWarning("Failed to connect /127.0.0.1:5099 but trying the advertised port=5099");
            logger.logError("bad message INVITE sip:x SIP/2.0\r\n");
            logger.logError(">>> Dropped Bad Msg From = null");
            logger.logError("Dropping Badly formatted response message >>> SIP/2.0 200 OK\r\n");
            logger.logWarning("Null request interface returned");
            logger.logError("IO error sending  TRYING");
            logger.logWarning("reparsing original request [B@1f04d443 since it was eagerly cleaned up");
            logger.logError("A problem occured while trying to send a single CLRF in response to a double CLRF",
                    new NullPointerException("Cannot invoke \"String.compareToIgnoreCase(String)\" because \"transport\" is null"));
            logger.logException(new javax.sip.SipException("x", new IOException("Could not connect to /127.0.0.1:5099")));
            assertThat(log.atLeast(Level.WARN)).isEmpty();
        }
    }

    @Test
    void logException_isOneLine() {
        try (LogCapture log = LogCapture.serverLevels()) {
            logger.logException(new IllegalArgumentException("bad\nthing"));
            assertThat(log.lines(Level.WARN)).containsExactly("WARN gov.nist.javax.sip - JAIN-SIP exception: java.lang.IllegalArgumentException: bad...");
        }
    }
}
