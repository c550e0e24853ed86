package io.sipvane.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private final io.sipvane.core.testing.MutableClock clock = new io.sipvane.core.testing.MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final Sessions sessions = new Sessions(clock, Duration.ofMinutes(30), Duration.ofHours(12));

    @Test
    void create_givesRandom256BitIdsAndTokens() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Sessions.Session s = sessions.create("MA1");
            assertThat(s.id()).hasSize(43).matches("[A-Za-z0-9_-]+");
            assertThat(s.csrfToken()).hasSize(43).isNotEqualTo(s.id());
            assertThat(seen.add(s.id())).isTrue();
            assertThat(seen.add(s.csrfToken())).isTrue();
        }
    }

    @Test
    void find_expiresAnIdleSession_andUseKeepsItAlive() {
        Sessions.Session s = sessions.create("MA1");
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(s.id())).isPresent();
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(s.id())).isPresent();
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.find(s.id())).isEmpty();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void find_endsASessionAtItsAbsoluteLifetime_evenInUse() {
        Sessions.Session s = sessions.create("MA1");
        for (int i = 0; i < 12 * 3 - 1; i++) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(sessions.find(s.id())).as("after %d minutes", (i + 1) * 20).isPresent();
        }
        assertThat(sessions.remainingSeconds(s)).isEqualTo(Duration.ofMinutes(20).toSeconds());
        clock.advance(Duration.ofMinutes(20));
        assertThat(sessions.find(s.id())).isEmpty();
    }

    @Test
    void remove_logsOut_andUnknownIdsFindNothing() {
        Sessions.Session s = sessions.create("MA1");
        sessions.remove(s.id());
        assertThat(sessions.find(s.id())).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("forged")).isEmpty();
    }

    @Test
    void create_sweepsExpiredSessions() {
        sessions.create("MA1");
        sessions.create("MA2");
        clock.advance(Duration.ofHours(1));
        sessions.create("MA3");
        assertThat(sessions.size()).isEqualTo(1);
    }

    @Test
    void flash_isShownOnce() {
        Sessions.Session s = sessions.create("MA1");
        sessions.flash(s.id(), "row", ActionResult.ok("Disabled."));
        assertThat(sessions.takeFlash(s.id())).containsEntry("row", ActionResult.ok("Disabled."));
        assertThat(sessions.takeFlash(s.id())).isEmpty();
    }
}
