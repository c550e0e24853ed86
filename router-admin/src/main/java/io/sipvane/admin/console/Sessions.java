package io.sipvane.admin.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's logins, kept server-side: a session is a random 256-bit id (the cookie),
 * the account it belongs to, its CSRF token (another 256 random bits) and the results of the
 * last actions waiting to be shown once (for browsers without JavaScript, which follow a
 * redirect after each action).
 *
 * <p>A session ends on logout, when unused for {@code idle}, and in any case {@code absolute}
 * after login, by the injected clock. Expired sessions are dropped when looked up and swept
 * on every login; at most {@link #MAX_SESSIONS} live at once (the oldest go first), so a
 * stream of logins cannot grow memory without bound. Safe without locks: the map is
 * concurrent and each session is an immutable value replaced whole.
 */
final class Sessions {
    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration ABSOLUTE = Duration.ofHours(12);
    static final int MAX_SESSIONS = 10_000;

    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    Sessions(Clock clock) {
        this(clock, IDLE, ABSOLUTE);
    }

    Sessions(Clock clock, Duration idle, Duration absolute) {
        this.clock = clock;
        this.idle = idle;
        this.absolute = absolute;
    }

    /** One login. {@code flash}: action results (by control key) to show on the next page, then forget. */
    record Session(String id, String accountId, String csrfToken, Instant createdAt, Instant lastSeenAt,
                   Map<String, ActionResult> flash) {
        Session {
            flash = Map.copyOf(flash);
        }

        Session touched(Instant now) {
            return new Session(id, accountId, csrfToken, createdAt, now, flash);
        }

        Session withFlash(Map<String, ActionResult> newFlash) {
            return new Session(id, accountId, csrfToken, createdAt, lastSeenAt, newFlash);
        }
    }

    Session create(String accountId) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min(java.util.Comparator.comparing(Session::createdAt))
                    .ifPresent(oldest -> sessions.remove(oldest.id()));
        }
        Session session = new Session(randomToken(), accountId, randomToken(), now, now, Map.of());
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session with this id, its idle time reset; empty when unknown or expired. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (expired(s, now)) {
            sessions.remove(id, s);
            return Optional.empty();
        }
        Session touched = s.touched(now);
        sessions.replace(id, s, touched);
        return Optional.of(touched);
    }

    /** Adds an action's result to show once on the next full page. */
    void flash(String id, String key, ActionResult result) {
        sessions.computeIfPresent(id, (k, s) -> {
            Map<String, ActionResult> next = new java.util.HashMap<>(s.flash());
            next.put(key, result);
            return s.withFlash(next);
        });
    }

    /** The results waiting to be shown, forgotten as they are taken. */
    Map<String, ActionResult> takeFlash(String id) {
        Session before = sessions.get(id);
        if (before == null || before.flash().isEmpty()) {
            return Map.of();
        }
        sessions.computeIfPresent(id, (k, s) -> s.withFlash(Map.of()));
        return before.flash();
    }

    void remove(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Seconds the session may still live at most (the cookie's Max-Age). */
    long remainingSeconds(Session s) {
        return Math.max(0, Duration.between(clock.instant(), s.createdAt().plus(absolute)).toSeconds());
    }

    int size() {
        return sessions.size();
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastSeenAt().plus(idle)) || !now.isBefore(s.createdAt().plus(absolute));
    }

    /** 256 random bits, base64url without padding (43 characters). */
    String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
