package io.sipvane.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static io.sipvane.sip.testing.Sipp.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchingAppenderTest {
    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("test");

    BatchingAppenderTest() {
        context.setMDCAdapter(new LogbackMDCAdapter()); // what LogbackServiceProvider gives the default context
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private BatchingAppender start(int queueSize, AppenderBase<ILoggingEvent> child) {
        child.setContext(context);
        child.start();
        BatchingAppender appender = new BatchingAppender();
        appender.setContext(context);
        appender.setName("ASYNC");
        appender.setQueueSize(queueSize);
        appender.addAppender(child);
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false);
        return appender;
    }

    @Test
    void writesEveryLineOfEveryThreadInItsOrder() throws Exception {
        ListAppender<ILoggingEvent> written = new ListAppender<>();
        start(BatchingAppender.DEFAULT_QUEUE_SIZE, written);
        int threads = 4;
        int lines = 2_000; // all of them fit in the queue: this test is about order, not about a full queue
        List<Thread> loggers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            loggers.add(new Thread(() -> {
                for (int i = 0; i < lines; i++) {
                    logger.info("{} {}", thread, i);
                }
            }, "logger-" + t));
        }
        loggers.forEach(Thread::start);
        for (Thread t : loggers) {
            t.join();
        }
        await("every line written", 30, () -> size(written) == threads * lines);

        int[] next = new int[threads];
        synchronized (written) {
            for (ILoggingEvent e : written.list) {
                String[] parts = e.getFormattedMessage().split(" ");
                int thread = Integer.parseInt(parts[0]);
                assertThat(Integer.parseInt(parts[1])).isEqualTo(next[thread]++);
                assertThat(e.getThreadName()).isEqualTo("logger-" + thread);
            }
        }
        assertThat(next).containsOnly(lines);
    }

    @Test
    void stopWritesOutWhatIsQueued() {
        ListAppender<ILoggingEvent> written = new ListAppender<>();
        BatchingAppender appender = start(BatchingAppender.DEFAULT_QUEUE_SIZE, written);
        for (int i = 0; i < 1_000; i++) {
            logger.info("line {}", i);
        }
        appender.stop();

        assertThat(written.list).hasSize(1_000);
        assertThat(written.list.get(999).getFormattedMessage()).isEqualTo("line 999");
        assertThat(written.isStarted()).isFalse();
    }

    @Test
    void aFullQueueDropsLinesWithoutBlockingAndSaysHowMany() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        AppenderBase<ILoggingEvent> slow = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                writing.countDown();
                try {
                    release.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                written.add(e.getLevel() + " " + e.getFormattedMessage());
            }
        };
        start(4, slow);
        logger.info("first");
        assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue(); // the writer holds "first"

        // a hang guard, not a speed check: a blocking append would never return
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < 14; i++) {
                logger.info("queued {}", i);
            }
        });
        release.countDown();
        await("the queued lines and the WARN written", 30, () -> written.size() == 6);

        assertThat(written).containsExactly("INFO first", "INFO queued 0", "INFO queued 1", "INFO queued 2",
                "INFO queued 3", "WARN 10 log lines dropped: the log queue (4 lines) was full");
    }

    @Test
    void aFailingAppenderDoesNotStopTheWriter() throws Exception {
        ListAppender<ILoggingEvent> written = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent e) {
                if (e.getFormattedMessage().equals("bad")) {
                    throw new IllegalStateException("bad line");
                }
                super.append(e);
            }
        };
        start(BatchingAppender.DEFAULT_QUEUE_SIZE, written);
        logger.info("bad");
        logger.info("good");

        await("the good line written", 30, () -> size(written) == 1);
        assertThat(written.list.get(0).getFormattedMessage()).isEqualTo("good");
    }

    @Test
    void refusesASizeOrDelayBelowOne() {
        for (BatchingAppender bad : List.of(withQueueSize(0), withMaxDelay(0))) {
            bad.setContext(context);
            bad.start();
            assertThat(bad.isStarted()).isFalse();
        }
        assertThat(context.getStatusManager().getCopyOfStatusList())
                .extracting(s -> s.getMessage())
                .contains("queueSize: 0 (expected: >= 1)", "maxDelayMillis: 0 (expected: >= 1)");
    }

    @Test
    void theServersLogConfigurationWritesThroughIt() throws Exception {
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(BatchingAppender.class.getResource("/logback.xml"));

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender("ASYNC")).isInstanceOfSatisfying(BatchingAppender.class, async -> {
            assertThat(async.isStarted()).isTrue();
            assertThat(async.getAppender("CONSOLE")).isInstanceOf(ConsoleAppender.class);
        });
        assertThat(context.getLogger("io.sipvane").getLevel()).isEqualTo(Level.INFO);
    }

    private static BatchingAppender withQueueSize(int size) {
        BatchingAppender a = new BatchingAppender();
        a.setQueueSize(size);
        return a;
    }

    private static BatchingAppender withMaxDelay(int millis) {
        BatchingAppender a = new BatchingAppender();
        a.setMaxDelayMillis(millis);
        return a;
    }

    /** The appender's list, read under the lock its appends hold ({@code AppenderBase.doAppend}). */
    private static int size(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) {
            return appender.list.size();
        }
    }
}
