package io.sipvane.sip.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CallJournalTest {
    private static final UUID A = UUID.fromString("aabbccdd-0000-4000-8000-000000000001");
    private static final UUID B = UUID.fromString("aabbccdd-0000-4000-8000-000000000002");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final CallJournal journal = new CallJournal(clock, 2);

    @Test
    void ended_keepsTheLastCallsPerAccount_stampedWithTheClock() {
        end("c1", "MAONE", attempt(A, "200"));
        clock.advance(Duration.ofSeconds(1));
        end("c2", "MATWO", attempt(A, "200"));
        end("c3", "MAONE", attempt(A, "200"));
        end("c4", "MAONE", attempt(A, "200"));

        assertThat(journal.recent("MAONE")).extracting(FinishedCall::callId).containsExactly("c4", "c3");
        assertThat(journal.recent("MATWO")).singleElement().satisfies(c -> {
            assertThat(c.endedAt()).isEqualTo(Instant.parse("2026-11-30T10:00:01Z"));
            assertThat(c.attempts()).extracting(FinishedCall.Attempt::uriId).containsExactly(A);
        });
        assertThat(journal.recent("MATHREE")).isEmpty();
    }

    @Test
    void window_countsCallsPerUri_andAFailoverWhenTheCallWentOnElsewhere() {
        end("c1", "MA", attempt(A, "503"), attempt(B, "200"));
        end("c2", "MA", attempt(A, "200"));
        end("c3", "MA", attempt(B, "401"), attempt(B, "200")); // a challenge answered: one call of B

        assertThat(journal.window(A)).isEqualTo(new CallJournal.Window(2, 1));
        assertThat(journal.window(B)).isEqualTo(new CallJournal.Window(2, 0));
        assertThat(journal.window(UUID.randomUUID())).isEqualTo(CallJournal.Window.EMPTY);

        clock.advance(CallJournal.WINDOW);
        assertThat(journal.window(A)).isEqualTo(CallJournal.Window.EMPTY);
    }

    private void end(String callId, String account, FinishedCall.Attempt... attempts) {
        journal.ended(callId, account, "trunk-id", "trunk", "100", "200", "answered", 200, 5, List.of(attempts));
    }

    private static FinishedCall.Attempt attempt(UUID id, String result) {
        return new FinishedCall.Attempt(id, "PBX", "sip:127.0.0.1:5071", result, 3);
    }
}
