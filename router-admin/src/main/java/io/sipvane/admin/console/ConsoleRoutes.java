package io.sipvane.admin.console;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.sipvane.admin.ConsoleStore;
import io.sipvane.core.model.Account;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which console page or action a request asks for, and who may have it:
 * <pre>
 * GET  /console/                     the page (trunks, URIs, recent calls), or 303 to the login
 * GET  /console/login                the login form        POST /console/login   sign in
 * POST /console/logout               sign out
 * GET  /console/live                 the trunks fragment   GET  /console/calls   the calls fragment
 * POST /console/uris/{id}/{action}   enable, disable, drain, restore, weight, priority, promote
 * GET  /console/assets/{name}        htmx.min.js, console.css
 * </pre>
 * Every POST is refused (403) when it says it is cross-site or lacks the token ({@link Csrf}):
 * the session's for actions and logout, the login form's for the login (a double-submit
 * cookie, as there is no session yet). A request without a live session is sent to the login
 * page (htmx gets {@code HX-Redirect}). An account sees and changes only its own trunks and
 * URIs: everything is read and written through its account id.
 */
final class ConsoleRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleRoutes.class);
    static final String SESSION_COOKIE = "sipvane_session";
    static final String LOGIN_COOKIE = "sipvane_login";
    private static final long LOGIN_FORM_SECONDS = 3600;

    private final ConsoleStore store;
    private final ConsoleData data;
    private final Sessions sessions;
    private final ConsoleActions actions;
    private final StaticAssets assets;

    ConsoleRoutes(ConsoleStore store, ConsoleData data, Sessions sessions, StaticAssets assets) {
        this.store = store;
        this.data = data;
        this.sessions = sessions;
        this.actions = new ConsoleActions(store);
        this.assets = assets;
    }

    CompletableFuture<ConsoleResponse> route(ConsoleRequest request) {
        String path = request.path();
        HttpMethod method = request.method();
        if (path.equals("/console")) {
            return done(ConsoleResponse.redirect(ConsolePages.BASE));
        }
        String rest = path.substring(ConsolePages.BASE.length());
        List<String> parts = List.of(rest.split("/", -1));
        if (parts.size() == 2 && parts.get(0).equals("assets")) {
            requireMethod(method, HttpMethod.GET);
            StaticAssets.Asset asset = assets.get(parts.get(1));
            return done(asset == null ? notFound()
                    : new ConsoleResponse(200, asset.contentType(), asset.bytes(), Map.of("Cache-Control", List.of("public, max-age=3600"))));
        }
        switch (rest) {
            case "":
                requireMethod(method, HttpMethod.GET);
                return done(withSession(request, s -> ConsoleResponse.html(200, mainPage(s, request.query()))));
            case "login":
                if (method.equals(HttpMethod.POST)) {
                    return done(login(request));
                }
                requireMethod(method, HttpMethod.GET);
                return done(loginPage(request, 200, null));
            case "logout":
                requireMethod(method, HttpMethod.POST);
                return done(logout(request));
            case "live":
                requireMethod(method, HttpMethod.GET);
                return done(withSession(request, s -> ConsoleResponse.html(200,
                        ConsolePages.live(TrunkView.of(store.current(), s.accountId(), data), Map.of(), s.csrfToken()))));
            case "calls":
                requireMethod(method, HttpMethod.GET);
                return done(withSession(request, s -> ConsoleResponse.html(200,
                        ConsolePages.calls(data.recentCalls(s.accountId()), request.query()))));
            default:
                break;
        }
        if (parts.size() == 3 && parts.get(0).equals("uris") && ConsoleActions.ACTIONS.contains(parts.get(2))) {
            requireMethod(method, HttpMethod.POST);
            return action(request, parts.get(1), parts.get(2));
        }
        return done(notFound());
    }

    private String mainPage(Sessions.Session s, Form filter) {
        return ConsolePages.main(s.accountId(), s.csrfToken(), TrunkView.of(store.current(), s.accountId(), data),
                sessions.takeFlash(s.id()), data.recentCalls(s.accountId()), filter);
    }

    private ConsoleResponse withSession(ConsoleRequest request, java.util.function.Function<Sessions.Session, ConsoleResponse> page) {
        Optional<Sessions.Session> session = sessions.find(request.cookie(SESSION_COOKIE));
        if (session.isEmpty()) {
            return toLogin(request);
        }
        return page.apply(session.get());
    }

    private static ConsoleResponse toLogin(ConsoleRequest request) {
        if (request.fromHtmx()) {
            return ConsoleResponse.html(200, "").with("HX-Redirect", ConsolePages.BASE + "login");
        }
        return ConsoleResponse.redirect(ConsolePages.BASE + "login");
    }

    private ConsoleResponse loginPage(ConsoleRequest request, int status, String error) {
        if (error == null && sessions.find(request.cookie(SESSION_COOKIE)).isPresent()) {
            return ConsoleResponse.redirect(ConsolePages.BASE);
        }
        String token = sessions.randomToken();
        return ConsoleResponse.html(status, ConsolePages.login(token, error))
                .with("Set-Cookie", cookie(LOGIN_COOKIE, token, LOGIN_FORM_SECONDS, request));
    }

    private ConsoleResponse login(ConsoleRequest request) {
        Form form = request.form();
        String crossSite = Csrf.crossSite(request.headers());
        if (crossSite != null) {
            return refused(crossSite);
        }
        if (!Csrf.tokenMatches(request.cookie(LOGIN_COOKIE), Csrf.sentToken(form, request.headers()))) {
            return loginPage(request, 403, "The login form expired or was not this server's: sign in again.");
        }
        Optional<Account> account = store.authenticate(form.text("auth_id"), form.get("auth_token"));
        if (account.isEmpty()) {
            return loginPage(request, 401, "Authentication failed: check the auth id and auth token.");
        }
        Sessions.Session session = sessions.create(account.get().authId());
        LOG.info("console: account {} signed in", session.accountId());
        return ConsoleResponse.redirect(ConsolePages.BASE)
                .with("Set-Cookie", cookie(SESSION_COOKIE, session.id(), sessions.remainingSeconds(session), request))
                .with("Set-Cookie", cookie(LOGIN_COOKIE, "", 0, request));
    }

    private ConsoleResponse logout(ConsoleRequest request) {
        Optional<Sessions.Session> session = sessions.find(request.cookie(SESSION_COOKIE));
        if (session.isEmpty()) {
            return toLogin(request);
        }
        String refusal = postRefusal(request, session.get(), request.form());
        if (refusal != null) {
            return refused(refusal);
        }
        sessions.remove(session.get().id());
        LOG.info("console: account {} signed out", session.get().accountId());
        return ConsoleResponse.redirect(ConsolePages.BASE + "login").with("Set-Cookie", cookie(SESSION_COOKIE, "", 0, request));
    }

    private CompletableFuture<ConsoleResponse> action(ConsoleRequest request, String idText, String action) {
        Optional<Sessions.Session> found = sessions.find(request.cookie(SESSION_COOKIE));
        if (found.isEmpty()) {
            // no session: nothing to act for (a cross-site form gets here too, its cookie withheld by SameSite)
            return done(request.fromHtmx() ? toLogin(request) : refused("not signed in (or the session expired): nothing was changed"));
        }
        Sessions.Session session = found.get();
        Form form = request.form();
        String refusal = postRefusal(request, session, form);
        if (refusal != null) {
            return done(refused(refusal));
        }
        String key = form.text("key").isEmpty() ? idText : form.text("key");
        UUID id;
        try {
            id = UUID.fromString(idText);
        } catch (IllegalArgumentException e) {
            return done(result(request, session, key, ActionResult.refused("id: \"" + idText + "\" (expected: a UUID)")));
        }
        return actions.run(session.accountId(), id, action, form).thenApply(r -> result(request, session, key, r));
    }

    /** htmx: the result in place, and a refresh of the live part; a plain form: back to the page, the result shown there once. */
    private ConsoleResponse result(ConsoleRequest request, Sessions.Session session, String key, ActionResult result) {
        if (request.fromHtmx()) {
            return ConsoleResponse.html(200, ConsolePages.result(result)).with("HX-Trigger", "refresh");
        }
        sessions.flash(session.id(), key, result);
        return ConsoleResponse.redirect(ConsolePages.BASE + "#row-" + key);
    }

    /** Why a POST of this session is refused (cross-site, or without the session's token), or null. */
    private static String postRefusal(ConsoleRequest request, Sessions.Session session, Form form) {
        String crossSite = Csrf.crossSite(request.headers());
        if (crossSite != null) {
            return crossSite;
        }
        if (!Csrf.tokenMatches(session.csrfToken(), Csrf.sentToken(form, request.headers()))) {
            return "CSRF token missing or wrong: nothing was changed (reload the page)";
        }
        return null;
    }

    private static ConsoleResponse refused(String why) {
        LOG.warn("console: refused a POST: {}", why);
        return ConsoleResponse.html(403, ConsolePages.result(ActionResult.refused(why)));
    }

    private static ConsoleResponse notFound() {
        return ConsoleResponse.text(404, "not found");
    }

    /** HttpOnly, SameSite=Strict, Path=/console/, Max-Age; Secure behind an HTTPS proxy. Max-Age 0 deletes. */
    private static String cookie(String name, String value, long maxAgeSeconds, ConsoleRequest request) {
        DefaultCookie c = new DefaultCookie(name, value);
        c.setHttpOnly(true);
        c.setSameSite(CookieHeaderNames.SameSite.Strict);
        c.setPath(ConsolePages.BASE);
        c.setMaxAge(maxAgeSeconds);
        c.setSecure(request.overHttps());
        return ServerCookieEncoder.STRICT.encode(c);
    }

    private static void requireMethod(HttpMethod method, HttpMethod allowed) {
        if (!method.equals(allowed)) {
            throw new MethodNotAllowed(allowed);
        }
    }

    private static CompletableFuture<ConsoleResponse> done(ConsoleResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    /** A path that exists, asked with another method: 405 with {@code Allow}. */
    static final class MethodNotAllowed extends RuntimeException {
        final HttpMethod allowed;

        MethodNotAllowed(HttpMethod allowed) {
            super(null, null, false, false);
            this.allowed = allowed;
        }
    }
}
