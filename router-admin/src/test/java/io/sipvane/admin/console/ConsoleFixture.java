package io.sipvane.admin.console;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sipvane.admin.AdminServer;
import io.sipvane.core.store.ConfigStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin server with its console on a loopback port, over a store on a real file, with
 * console data the test sets and a clock it moves; an HTTP client that follows no redirects
 * and keeps cookies by hand, so the tests see exactly what a browser would be sent.
 */
final class ConsoleFixture implements AutoCloseable {
    static final String ONE = "MAONE000000000000000";
    static final String TWO = "MATWO000000000000000";
    static final String TRUNK = "7f0c1f5e-0000-4000-8000-000000000001";
    static final String TWO_TRUNK = "7f0c1f5e-0000-4000-8000-000000000002";
    static final String A = "aabbccdd-0000-4000-8000-000000000001";
    static final String B = "aabbccdd-0000-4000-8000-000000000002";
    static final String BACKUP = "aabbccdd-0000-4000-8000-000000000003";
    static final String THEIRS = "aabbccdd-0000-4000-8000-000000000004";
    static final String CONFIG = """
            sip:
              listen: ["udp:127.0.0.1:5060"]
            admin:
              listen: "127.0.0.1:0"
            accounts:
              - { auth_id: MAONE000000000000000, auth_token: "token-one" }
              - { auth_id: MATWO000000000000000, auth_token: "token-two" }
            trunks:
              - { id: 7f0c1f5e-0000-4000-8000-000000000001, account_id: MAONE000000000000000, name: "one's trunk", match: { numbers: ["+1415"] } }
              - { id: 7f0c1f5e-0000-4000-8000-000000000002, account_id: MATWO000000000000000, name: "two's trunk", match: { numbers: ["+1212"] } }
            origination_uris:
              - { id: aabbccdd-0000-4000-8000-000000000001, account_id: MAONE000000000000000, trunk_id: 7f0c1f5e-0000-4000-8000-000000000001, name: "PBX <A>", uri: "sip:127.0.0.1:5071", priority: 1, weight: 10 }
              - { id: aabbccdd-0000-4000-8000-000000000002, account_id: MAONE000000000000000, trunk_id: 7f0c1f5e-0000-4000-8000-000000000001, name: "PBX B", uri: "sip:127.0.0.1:5072", priority: 1, weight: 30 }
              - { id: aabbccdd-0000-4000-8000-000000000003, account_id: MAONE000000000000000, trunk_id: 7f0c1f5e-0000-4000-8000-000000000001, name: "Backup", uri: "sip:127.0.0.1:5073;transport=tcp", priority: 2, weight: 10 }
              - { id: aabbccdd-0000-4000-8000-000000000004, account_id: MATWO000000000000000, trunk_id: 7f0c1f5e-0000-4000-8000-000000000002, name: "Their PBX", uri: "sip:127.0.0.1:5074", priority: 1, weight: 10 }
            """;

    final Path file;
    final ConfigStore store;
    final AdminServer server;
    final String base;
    final io.sipvane.core.testing.MutableClock clock = new io.sipvane.core.testing.MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    final Map<UUID, ConsoleData.UriTraffic> traffic = new ConcurrentHashMap<>();
    final List<ConsoleData.RecentCall> calls = new ArrayList<>();
    final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    ConsoleFixture(Path dir) throws Exception {
        file = dir.resolve("sipvane.yaml");
        Files.writeString(file, CONFIG);
        store = ConfigStore.open(file);
        ConsoleData data = new ConsoleData() {
            @Override
            public UriHealth health(UUID uriId) {
                return uriId.toString().equals(B) ? new UriHealth("down", "probe: no answer in 2000 ms", null)
                        : new UriHealth("up", "probe answered 200", 1_500L);
            }

            @Override
            public UriTraffic traffic(UUID uriId) {
                return traffic.getOrDefault(uriId, UriTraffic.NONE);
            }

            @Override
            public List<RecentCall> recentCalls(String accountId) {
                return accountId.equals(ONE) ? List.copyOf(calls) : List.of();
            }
        };
        server = new AdminServer(store.current().admin(), store, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> true, id -> "up", clock, data);
        base = "http://127.0.0.1:" + server.start();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    }

    HttpResponse<String> get(String path, String session) throws Exception {
        HttpRequest.Builder b = request(path);
        if (session != null) {
            b.header("Cookie", ConsoleRoutes.SESSION_COOKIE + "=" + session);
        }
        return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(HttpRequest.Builder b, String form) throws Exception {
        return client.send(b.header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signs in as {@code account}; returns the session id and the page's CSRF token. */
    Login login(String account, String token) throws Exception {
        HttpResponse<String> form = get("/console/login", null);
        String loginToken = cookie(form, ConsoleRoutes.LOGIN_COOKIE);
        HttpResponse<String> signedIn = post(request("/console/login").header("Cookie", ConsoleRoutes.LOGIN_COOKIE + "=" + loginToken),
                "csrf=" + loginToken + "&auth_id=" + account + "&auth_token=" + token);
        if (signedIn.statusCode() != 303) {
            throw new AssertionError("login failed: " + signedIn.statusCode() + " " + signedIn.body());
        }
        String session = cookie(signedIn, ConsoleRoutes.SESSION_COOKIE);
        HttpResponse<String> page = get("/console/", session);
        return new Login(session, csrf(page.body()));
    }

    record Login(String session, String csrf) {}

    /** A same-origin action POST of a signed-in session, as a plain form or as htmx. */
    HttpResponse<String> action(Login login, String uri, String action, String fields, boolean htmx) throws Exception {
        HttpRequest.Builder b = request("/console/uris/" + uri + "/" + action)
                .header("Cookie", ConsoleRoutes.SESSION_COOKIE + "=" + login.session())
                .header("Origin", base).header("Sec-Fetch-Site", "same-origin");
        if (htmx) {
            b.header("HX-Request", "true");
        }
        return post(b, "csrf=" + login.csrf() + (fields.isEmpty() ? "" : "&" + fields));
    }

    static String cookie(HttpResponse<?> response, String name) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            if (header.startsWith(name + "=")) {
                return header.substring(name.length() + 1, header.indexOf(';'));
            }
        }
        throw new AssertionError("no cookie " + name + " in " + response.headers().allValues("Set-Cookie"));
    }

    static String setCookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no cookie " + name));
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF token in the page: " + html);
        }
        return m.group(1);
    }

    @Override
    public void close() {
        server.stop();
        store.close();
    }
}
