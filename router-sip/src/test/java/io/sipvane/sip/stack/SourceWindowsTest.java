package io.sipvane.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SourceWindowsTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final SourceWindows windows = new SourceWindows(now::get, 10, TimeUnit.SECONDS, 3);

    private void advanceSeconds(long s) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(s));
    }

    @Test
    void record_logsTheFirstOfASource_thenHoldsBackUntilTheIntervalEnds() {
        SourceWindows.Line first = windows.record("10.0.0.1", "bad Via");
        assertThat(first).isEqualTo(new SourceWindows.Line("10.0.0.1", "bad Via", 0, 0, null));
        for (int i = 0; i < 4_999; i++) {
            advanceSeconds(0);
            assertThat(windows.record("10.0.0.1", "problem " + i)).isNull();
        }
        advanceSeconds(9);
        assertThat(windows.record("10.0.0.1", "still held")).isNull();
        advanceSeconds(1);
        SourceWindows.Line summary = windows.record("10.0.0.1", "after the window");
        assertThat(summary.problem()).isEqualTo("after the window");
        assertThat(summary.heldBack()).isEqualTo(5_000);
        assertThat(summary.firstHeldBack()).isEqualTo("problem 0");
        assertThat(summary.heldBackNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(10));
        // the summary opened the next window
        assertThat(windows.record("10.0.0.1", "x")).isNull();
    }

    @Test
    void record_keepsAWindowPerSource() {
        assertThat(windows.record("10.0.0.1", "a")).isNotNull();
        assertThat(windows.record("10.0.0.2", "b")).isNotNull();
        assertThat(windows.record("10.0.0.1", "c")).isNull();
        assertThat(windows.record("10.0.0.2", "d")).isNull();
    }

    @Test
    void record_sourcesBeyondTheCapShareOneWindow_andClosedWindowsAreSwept() {
        windows.record("10.0.0.1", "a");
        windows.record("10.0.0.2", "a");
        SourceWindows.Line third = windows.record("10.0.0.3", "a");
        assertThat(third.source()).isEqualTo("10.0.0.3");
        SourceWindows.Line fourth = windows.record("10.0.0.4", "a");
        // the map is full: the fourth address takes the shared window, only once per interval
        assertThat(windows.record("10.0.0.4", "b")).isNull();
        assertThat(windows.record("10.0.0.5", "b")).isNull();
        assertThat(fourth == null || fourth.source().equals(SourceWindows.OTHERS)).isTrue();
        assertThat(windows.sources()).isLessThanOrEqualTo(3 + 1);
        // once the windows have closed, a new address gets its own again
        advanceSeconds(11);
        SourceWindows.Line later = windows.record("10.0.0.6", "c");
        assertThat(later.source()).isEqualTo("10.0.0.6");
        assertThat(windows.sources()).isLessThanOrEqualTo(3 + 1);
    }

    @Test
    void constructor_rejectsNonsense() {
        assertThatThrownBy(() -> new SourceWindows(now::get, 0, TimeUnit.SECONDS, 3))
                .hasMessage("interval: 0 (expected: > 0)");
        assertThatThrownBy(() -> new SourceWindows(now::get, 1, TimeUnit.SECONDS, 0))
                .hasMessage("maxSources: 0 (expected: >= 1)");
    }
}
