package io.sipvane.admin.console;

import static io.sipvane.admin.console.ConsoleFixture.A;
import static io.sipvane.admin.console.ConsoleFixture.B;
import static io.sipvane.admin.console.ConsoleFixture.BACKUP;
import static io.sipvane.admin.console.ConsoleFixture.ONE;
import static io.sipvane.admin.console.ConsoleFixture.THEIRS;
import static io.sipvane.admin.console.ConsoleFixture.TWO;
import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.testing.Await;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console over real HTTP against the Netty admin server: login, pages, actions, CSRF, sessions, assets. */
class ConsoleHttpTest {
    @TempDir
    Path dir;
    private ConsoleFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new ConsoleFixture(dir);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void withoutASession_thePageSendsToTheLogin_whoseFormCarriesAToken() throws Exception {
        assertThat(f.get("/console", null).headers().firstValue("Location")).hasValue("/console/");
        HttpResponse<String> page = f.get("/console/", null);
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/console/login");

        HttpResponse<String> login = f.get("/console/login", null);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertSecurityHeaders(login);
        assertThat(login.body()).contains("name=\"auth_id\"").contains("type=\"password\"");
        assertThat(ConsoleFixture.csrf(login.body())).isEqualTo(ConsoleFixture.cookie(login, ConsoleRoutes.LOGIN_COOKIE));
        assertThat(ConsoleFixture.setCookie(login, ConsoleRoutes.LOGIN_COOKIE)).containsIgnoringCase("HttpOnly").contains("SameSite=Strict");
    }

    @Test
    void login_withTheApiCredentials_setsAnHttpOnlyStrictExpiringSessionCookie() throws Exception {
        HttpResponse<String> form = f.get("/console/login", null);
        String token = ConsoleFixture.cookie(form, ConsoleRoutes.LOGIN_COOKIE);
        HttpResponse<String> wrong = f.post(f.request("/console/login").header("Cookie", ConsoleRoutes.LOGIN_COOKIE + "=" + token),
                "csrf=" + token + "&auth_id=" + ONE + "&auth_token=token-two");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Authentication failed");
        assertThat(wrong.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith(ConsoleRoutes.SESSION_COOKIE));

        HttpResponse<String> noToken = f.post(f.request("/console/login"), "auth_id=" + ONE + "&auth_token=token-one");
        assertThat(noToken.statusCode()).isEqualTo(403);

        HttpResponse<String> ok = f.post(f.request("/console/login").header("Cookie", ConsoleRoutes.LOGIN_COOKIE + "=" + token),
                "csrf=" + token + "&auth_id=" + ONE + "&auth_token=token-one");
        assertThat(ok.statusCode()).isEqualTo(303);
        String cookie = ConsoleFixture.setCookie(ok, ConsoleRoutes.SESSION_COOKIE);
        assertThat(cookie).containsIgnoringCase("HttpOnly").contains("SameSite=Strict").contains("Path=/console/")
                .contains("Max-Age=" + Sessions.ABSOLUTE.toSeconds()).doesNotContain("Secure");
        assertThat(ConsoleFixture.cookie(ok, ConsoleRoutes.SESSION_COOKIE)).hasSize(43); // 256 bits, base64url
    }

    @Test
    void thePage_showsTheAccountsOwnTrunkAndUris_escaped_andNoOtherAccounts() throws Exception {
        f.traffic.put(UUID.fromString(A), new ConsoleData.UriTraffic(3, 1));
        f.traffic.put(UUID.fromString(B), new ConsoleData.UriTraffic(1, 0));
        ConsoleFixture.Login one = f.login(ONE, "token-one");
        HttpResponse<String> page = f.get("/console/", one.session());
        assertThat(page.statusCode()).isEqualTo(200);
        assertSecurityHeaders(page);
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        String html = page.body();
        assertThat(html).contains("one&#39;s trunk").contains("PBX &lt;A&gt;").doesNotContain("PBX <A>")
                .contains("sip:127.0.0.1:5073;transport=tcp").contains(">tcp<")
                .contains("Priority 1").contains("Priority 2")
                // A: weight 10 of 40 configured, 3 of 4 calls observed
                .contains("<span class=\"configured\">25.0 %</span> / <span class=\"observed\">75.0 %</span>")
                .contains("probe: no answer in 2000 ms").contains("probe 1.5 ms")
                .contains("/console/assets/htmx.min.js").contains("Promote to priority 1");
        assertThat(html).doesNotContain("two&#39;s trunk").doesNotContain(THEIRS).doesNotContain("Their PBX");

        ConsoleFixture.Login two = f.login(TWO, "token-two");
        assertThat(f.get("/console/", two.session()).body()).contains("Their PBX").doesNotContain("one&#39;s trunk")
                .doesNotContain(A);
        assertThat(f.get("/console/live", two.session()).body()).contains("Their PBX").doesNotContain(A);
    }

    @Test
    void aPostWithoutTheToken_orCrossSite_isRefused_andChangesNothing() throws Exception {
        ConsoleFixture.Login one = f.login(ONE, "token-one");
        String cookie = ConsoleRoutes.SESSION_COOKIE + "=" + one.session();

        HttpResponse<String> noToken = f.post(f.request("/console/uris/" + A + "/disable").header("Cookie", cookie), "key=x");
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("CSRF token missing or wrong");

        HttpResponse<String> wrongToken = f.post(f.request("/console/uris/" + A + "/disable").header("Cookie", cookie)
                .header("X-CSRF-Token", "forged").header("HX-Request", "true"), "");
        assertThat(wrongToken.statusCode()).isEqualTo(403);

        HttpResponse<String> crossOrigin = f.post(f.request("/console/uris/" + A + "/disable").header("Cookie", cookie)
                .header("Origin", "http://evil.example"), "csrf=" + one.csrf());
        assertThat(crossOrigin.statusCode()).isEqualTo(403);
        assertThat(crossOrigin.body()).contains("cross-site request refused (Origin: http://evil.example)");

        HttpResponse<String> crossSite = f.post(f.request("/console/uris/" + A + "/disable").header("Cookie", cookie)
                .header("Sec-Fetch-Site", "cross-site"), "csrf=" + one.csrf());
        assertThat(crossSite.statusCode()).isEqualTo(403);

        HttpResponse<String> noSession = f.post(f.request("/console/uris/" + A + "/disable"), "csrf=" + one.csrf());
        assertThat(noSession.statusCode()).isEqualTo(403);

        assertThat(uri(A).enabled()).isTrue();
    }

    @Test
    void disable_asAPlainForm_isPersisted_andItsResultShownOnceNextToTheControl() throws Exception {
        ConsoleFixture.Login one = f.login(ONE, "token-one");
        String key = ConsoleFixture.TRUNK + "-" + A;
        HttpResponse<String> done = f.action(one, A, "disable", "key=" + key, false);
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location")).hasValue("/console/#row-" + key);
        assertThat(uri(A).enabled()).isFalse();
        // the store folds its journal into the file right after the write
        Await.until("the write folded into the file", Duration.ofSeconds(20),
                () -> Files.readString(f.file).contains("enabled: false"));

        String page = f.get("/console/", one.session()).body();
        assertThat(page).contains("<output id=\"result-" + key + "\" class=\"result\" hx-preserve=\"true\" role=\"status\"><span class=\"ok\">Disabled");
        assertThat(page).contains(">Enable</button>");
        assertThat(f.get("/console/", one.session()).body()).doesNotContain("<span class=\"ok\">Disabled");

        assertThat(f.action(one, A, "enable", "key=" + key, true).body()).contains("Enabled.");
        assertThat(uri(A).enabled()).isTrue();
    }

    @Test
    void anInvalidWeight_getsTheApisMessage_andChangesNothing() throws Exception {
        ConsoleFixture.Login one = f.login(ONE, "token-one");
        HttpResponse<String> tooBig = f.action(one, A, "weight", "value=70000", true);
        assertThat(tooBig.statusCode()).isEqualTo(200);
        assertThat(tooBig.body()).isEqualTo("<span class=\"err\" role=\"alert\">weight: 70000 (expected: 0..65535)</span>");
        assertThat(f.action(one, A, "weight", "value=ten", true).body()).contains("weight: &quot;ten&quot; (expected: an integer)");
        assertThat(f.action(one, A, "priority", "value=0", true).body()).contains("priority: 0 (expected: &gt;= 1)");

        // the API says the same of the same value
        HttpResponse<String> api = f.client.send(f.request("/api/v1/Account/" + ONE + "/origination-uris/" + A)
                .header("X-Auth-ID", ONE).header("X-Auth-Token", "token-one").header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"weight\": 70000}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(422);
        assertThat(api.body()).contains("\"error\":\"weight: 70000 (expected: 0..65535)\"");
        assertThat(uri(A).weight()).isEqualTo(10);

        assertThat(f.action(one, A, "weight", "value=25", true).body()).contains("Weight set to 25.");
        assertThat(uri(A).weight()).isEqualTo(25);
    }

    @Test
    void drainAndRestore_giveBackTheWeightItHad() throws Exception {
        ConsoleFixture.Login one = f.login(ONE, "token-one");
        f.action(one, B, "drain", "", true);
        assertThat(uri(B).weight()).isZero();
        assertThat(f.get("/console/live", one.session()).body()).contains(">Restore</button>").contains("drained");
        assertThat(f.action(one, B, "restore", "", true).body()).contains("Restored: weight 30.");
        assertThat(uri(B).weight()).isEqualTo(30);
    }

    @Test
    void promote_swapsTheBackupsPriorityWithTheBestOne_inOneWrite() throws Exception {
        ConsoleFixture.Login one = f.login(ONE, "token-one");
        HttpResponse<String> r = f.action(one, BACKUP, "promote", "trunk=" + ConsoleFixture.TRUNK, true);
        assertThat(r.body()).contains("Promoted to priority 1; priority 1 moved to 2.");
        assertThat(r.headers().firstValue("HX-Trigger")).hasValue("refresh");
        assertThat(uri(BACKUP).priority()).isEqualTo(1);
        assertThat(uri(A).priority()).isEqualTo(2);
        assertThat(uri(B).priority()).isEqualTo(2);
    }

    @Test
    void anotherAccount_cannotActOnTheUri() throws Exception {
        ConsoleFixture.Login two = f.login(TWO, "token-two");
        HttpResponse<String> r = f.action(two, A, "disable", "", true);
        assertThat(r.body()).contains("origination URI " + A + " not found");
        assertThat(uri(A).enabled()).isTrue();
    }

    @Test
    void aSession_expiresWhenIdle_andEndsAtLogout() throws Exception {
        ConsoleFixture.Login one = f.login(ONE, "token-one");
        f.clock.advance(Sessions.IDLE.minusMinutes(1));
        assertThat(f.get("/console/", one.session()).statusCode()).isEqualTo(200); // used: idle time starts again
        f.clock.advance(Sessions.IDLE);
        assertThat(f.get("/console/", one.session()).statusCode()).isEqualTo(303);
        HttpResponse<String> poll = f.client.send(f.request("/console/live").header("HX-Request", "true")
                .header("Cookie", ConsoleRoutes.SESSION_COOKIE + "=" + one.session()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(poll.headers().firstValue("HX-Redirect")).hasValue("/console/login");

        ConsoleFixture.Login again = f.login(ONE, "token-one");
        HttpResponse<String> out = f.post(f.request("/console/logout").header("Cookie", ConsoleRoutes.SESSION_COOKIE + "=" + again.session()),
                "csrf=" + again.csrf());
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(ConsoleFixture.setCookie(out, ConsoleRoutes.SESSION_COOKIE)).contains("Max-Age=0");
        assertThat(f.get("/console/", again.session()).statusCode()).isEqualTo(303);
    }

    @Test
    void recentCalls_areListedAndFiltered_byCallIdAndNumber() throws Exception {
        f.calls.add(new ConsoleData.RecentCall(Instant.parse("2026-11-30T09:59:00Z"), "abc-1@host", ConsoleFixture.TRUNK, "one's trunk",
                "2125550100", "14155550100", "answered", 200, 40,
                List.of(new ConsoleData.TriedUri(UUID.fromString(B), "PBX B", "sip:127.0.0.1:5072", "503", 12),
                        new ConsoleData.TriedUri(UUID.fromString(A), "PBX <A>", "sip:127.0.0.1:5071", "200", 30))));
        f.calls.add(new ConsoleData.RecentCall(Instant.parse("2026-11-30T09:58:00Z"), "xyz-2@host", ConsoleFixture.TRUNK, "one's trunk",
                "2125550199", "14155550111", "failed", 503, -1, List.of()));
        ConsoleFixture.Login one = f.login(ONE, "token-one");
        String page = f.get("/console/", one.session()).body();
        assertThat(page).contains("abc-1@host").contains("xyz-2@host").contains("PBX &lt;A&gt; sip:127.0.0.1:5071: 200 (30 ms)")
                .contains("2026-11-30 09:59:00").contains("answered 200");
        assertThat(f.get("/console/calls?call_id=abc", one.session()).body()).contains("abc-1@host").doesNotContain("xyz-2@host");
        assertThat(f.get("/console/?number=0111", one.session()).body()).contains("xyz-2@host").doesNotContain("abc-1@host")
                .contains("value=\"0111\"");
        assertThat(f.get("/console/calls", f.login(TWO, "token-two").session()).body()).doesNotContain("abc-1@host");
    }

    @Test
    void assets_comeFromTheJar_withTheirContentTypes() throws Exception {
        HttpResponse<String> htmx = f.get("/console/assets/htmx.min.js", null);
        assertThat(htmx.statusCode()).isEqualTo(200);
        assertThat(htmx.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(htmx.body()).contains("htmx");
        assertSecurityHeaders(htmx);
        assertThat(f.get("/console/assets/console.css", null).headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(f.get("/console/assets/../../openapi.json", null).statusCode()).isIn(404, 303);
        assertThat(f.get("/console/assets/nothing.js", null).statusCode()).isEqualTo(404);
        assertThat(f.get("/console/login", null).statusCode()).isEqualTo(200);
        assertThat(f.client.send(f.request("/console/login").DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(405);
        // the API shares the server and is untouched
        assertThat(f.get("/healthz", null).statusCode()).isEqualTo(200);
    }

    private OriginationUri uri(String id) {
        return f.store.current().originationUri(UUID.fromString(id)).orElseThrow();
    }

    private static void assertSecurityHeaders(HttpResponse<?> r) {
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
    }
}
