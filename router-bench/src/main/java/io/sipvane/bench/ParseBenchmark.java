package io.sipvane.bench;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.sipvane.sip.stack.CountingParsers;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of parsing one message as the router receives it in the load harness: an INVITE
 * from the SIPp caller, and the 200 OK a SIPp PBX answers it with (our Record-Route, both
 * Vias).
 *
 * <ul>
 *   <li>{@code stock}: JAIN-SIP's own message parser, the baseline, measured in the same run;</li>
 *   <li>{@code router}: the parser the router's stack uses, made by the stack's factory
 *       ({@code CountingParsers}, stack property {@code MESSAGE_PARSER_FACTORY}), given a
 *       header error listener as the stack's channels give one: the common headers and the
 *       first line read by {@code HeaderScanner}, the rest by the stock header parsers.</li>
 * </ul>
 *
 * <p>Run: {@code java -jar router-bench/target/benchmarks.jar ParseBenchmark -prof gc}
 * (after {@code mvn -B package -DskipTests}). Results and the exact command are in
 * {@code router-bench/README.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParseBenchmark {
    private static final String INVITE = """
            INVITE sip:+14155550100@127.0.0.1:35060 SIP/2.0\r
            Via: SIP/2.0/UDP 127.0.0.1:35061;branch=z9hG4bK-21733-4711-0\r
            From: sipp <sip:sipp@127.0.0.1:35061>;tag=21733SIPpTag004711\r
            To: <sip:+14155550100@127.0.0.1:35060>\r
            Call-ID: 4711-21733@127.0.0.1\r
            CSeq: 1 INVITE\r
            Contact: <sip:sipp@127.0.0.1:35061;transport=UDP>\r
            Max-Forwards: 70\r
            Subject: sipvane test\r
            Content-Length: 0\r
            \r
            """;
    private static final String OK = """
            SIP/2.0 200 OK\r
            Via: SIP/2.0/UDP 127.0.0.1:35060;branch=z9hG4bK6f1c0e5a9b2d4c3e8f7a.1;rport\r
            Via: SIP/2.0/UDP 127.0.0.1:35061;branch=z9hG4bK-21733-4711-0\r
            From: sipp <sip:sipp@127.0.0.1:35061>;tag=21733SIPpTag004711\r
            To: <sip:+14155550100@127.0.0.1:35060>;tag=21790SIPpTag014711\r
            Call-ID: 4711-21733@127.0.0.1\r
            CSeq: 1 INVITE\r
            Record-Route: <sip:127.0.0.1:35060;transport=udp;lr;svt=pXk2c9QmT0a1bYf3ZrWq8g>\r
            Contact: <sip:127.0.0.1:35071;transport=UDP>\r
            Content-Length: 0\r
            \r
            """;

    @Param({"INVITE", "200"})
    public String message;

    private byte[] bytes;
    private MessageParser router;
    private MessageParser stock;
    /** The stack's channels pass themselves; these messages have no header errors to report. */
    private final ParseExceptionListener listener = (error, message, headerClass, header, raw) -> {};

    @Setup
    public void setUp() {
        bytes = (message.equals("INVITE") ? INVITE : OK).getBytes(StandardCharsets.UTF_8);
        router = new CountingParsers().createMessageParser(null);
        stock = new StringMsgParser();
    }

    @Benchmark
    public SIPMessage stock() throws ParseException {
        return stock.parseSIPMessage(bytes, true, false, listener);
    }

    @Benchmark
    public SIPMessage router() throws ParseException {
        return router.parseSIPMessage(bytes, true, false, listener);
    }
}
