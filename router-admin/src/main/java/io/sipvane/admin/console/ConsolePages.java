package io.sipvane.admin.console;

import io.sipvane.core.model.OriginationUri;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The console's HTML: plain server-rendered tables that read without JavaScript, with htmx
 * attributes that refresh the live parts and post the actions in place when it runs. Every
 * value goes through {@link Html#text} (escaped); templates are literals. Each action is a
 * real form (a button, an input with a label) so everything works from the keyboard and
 * without JavaScript.
 */
final class ConsolePages {
    static final String BASE = "/console/";
    /** How often the live parts refresh, in seconds. */
    static final int REFRESH_SECONDS = 3;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private ConsolePages() {}

    static String login(String csrf, String error) {
        Html h = head("sign in");
        h.raw("<body><main class=\"login\"><h1>sipvane console</h1>");
        if (error != null) {
            h.raw("<p class=\"err\" role=\"alert\" id=\"login-error\">").text(error).raw("</p>");
        }
        h.raw("<form method=\"post\" action=\"/console/login\">");
        h.raw("<input type=\"hidden\" name=\"csrf\" value=\"").text(csrf).raw("\">");
        h.raw("<p><label for=\"auth_id\">Auth ID</label><input id=\"auth_id\" name=\"auth_id\" autocomplete=\"username\" required autofocus></p>");
        h.raw("<p><label for=\"auth_token\">Auth token</label><input id=\"auth_token\" name=\"auth_token\" type=\"password\" autocomplete=\"current-password\" required></p>");
        h.raw("<p><button type=\"submit\" id=\"login\">Sign in</button></p></form>");
        h.raw("<p class=\"note\">The account's API credentials: the same auth id and token as the REST API.</p>");
        return h.raw("</main></body></html>").toString();
    }

    static String main(String accountId, String csrf, List<TrunkView> trunks, Map<String, ActionResult> flash,
                       List<ConsoleData.RecentCall> calls, Form filter) {
        Html h = head(accountId);
        // htmx sends the token as a header on every request it makes; forms carry it as a field too
        h.raw("<body hx-headers='{\"X-CSRF-Token\": \"").text(csrf).raw("\"}'>");
        h.raw("<header><h1>sipvane console</h1><p>Account <strong id=\"account\">").text(accountId).raw("</strong></p>");
        h.raw("<form method=\"post\" action=\"/console/logout\" class=\"logout\">");
        hiddenCsrf(h, csrf);
        h.raw("<button type=\"submit\" id=\"logout\">Sign out</button></form></header><main>");
        live(h, trunks, flash, csrf);
        h.raw("<section aria-labelledby=\"calls-title\"><h2 id=\"calls-title\">Recent calls</h2>");
        h.raw("<form id=\"call-filter\" method=\"get\" action=\"/console/#calls\" class=\"filter\">");
        h.raw("<label for=\"f-call-id\">Call-ID</label><input id=\"f-call-id\" name=\"call_id\" value=\"")
                .text(filter.text("call_id")).raw("\">");
        h.raw("<label for=\"f-number\">Number</label><input id=\"f-number\" name=\"number\" inputmode=\"tel\" value=\"")
                .text(filter.text("number")).raw("\">");
        h.raw("<button type=\"submit\">Filter</button></form>");
        calls(h, calls, filter);
        h.raw("</section></main></body></html>");
        return h.toString();
    }

    /** The trunks, polled: the whole section is replaced; inputs and results keep their state (hx-preserve). */
    static String live(List<TrunkView> trunks, Map<String, ActionResult> flash, String csrf) {
        Html h = new Html();
        live(h, trunks, flash, csrf);
        return h.toString();
    }

    private static void live(Html h, List<TrunkView> trunks, Map<String, ActionResult> flash, String csrf) {
        h.raw("<section id=\"live\" hx-get=\"/console/live\" hx-trigger=\"every " + REFRESH_SECONDS
                + "s, refresh from:body\" hx-swap=\"outerHTML\" aria-live=\"off\">");
        if (trunks.isEmpty()) {
            h.raw("<p>This account has no trunks and no origination URIs.</p>");
        }
        for (TrunkView t : trunks) {
            trunk(h, t, flash, csrf);
        }
        h.raw("<p class=\"note\">Shares: configured = weight over the enabled weights of its priority; observed = its calls over the calls of its priority in the last 5 minutes. Refreshes every "
                + REFRESH_SECONDS + " s.</p></section>");
    }

    private static void trunk(Html h, TrunkView t, Map<String, ActionResult> flash, String csrf) {
        String sectionId = t.trunk() == null ? "unrouted" : "trunk-" + t.trunk().id();
        h.raw("<section class=\"trunk\" id=\"").text(sectionId).raw("\" aria-labelledby=\"").text(sectionId).raw("-title\">");
        if (t.trunk() == null) {
            h.raw("<h2 id=\"unrouted-title\">URIs no trunk routes to</h2>");
        } else {
            h.raw("<h2 id=\"").text(sectionId).raw("-title\">Trunk ").text(t.trunk().name().isEmpty() ? "(unnamed)" : t.trunk().name())
                    .raw(" <small>").text(t.trunk().id()).raw("</small></h2>");
            if (t.namesUris()) {
                h.raw("<p class=\"note\">This trunk names a primary (priority 1) and a fallback (priority 2): promote swaps the two.</p>");
            }
        }
        if (t.groups().isEmpty()) {
            h.raw("<p>No origination URIs: calls to this trunk get 503.</p>");
        }
        for (TrunkView.Group g : t.groups()) {
            h.raw("<h3>Priority ").text(g.priority()).raw("</h3><div class=\"scroll\"><table class=\"uris\"><thead><tr>")
                    .raw("<th scope=\"col\">Name</th><th scope=\"col\">URI</th><th scope=\"col\">Transport</th>")
                    .raw("<th scope=\"col\">Weight</th><th scope=\"col\">Share configured / observed (5 min)</th>")
                    .raw("<th scope=\"col\">Health</th><th scope=\"col\">Calls (5 min)</th><th scope=\"col\">Failovers (5 min)</th>")
                    .raw("<th scope=\"col\">Actions</th></tr></thead><tbody>");
            for (TrunkView.Row r : g.rows()) {
                row(h, t, r, flash, csrf);
            }
            h.raw("</tbody></table></div>");
        }
        h.raw("</section>");
    }

    private static void row(Html h, TrunkView t, TrunkView.Row r, Map<String, ActionResult> flash, String csrf) {
        OriginationUri u = r.uri();
        String id = u.id().toString();
        String scope = t.trunk() == null ? "none" : t.trunk().id().toString();
        String key = scope + "-" + id; // a URI shared by trunks has one row (and one set of controls) in each
        h.raw("<tr id=\"row-").text(key).raw("\" data-uri-id=\"").text(id).raw("\" class=\"")
                .raw(u.enabled() ? "enabled" : "disabled").raw(u.weight() == 0 ? " drained" : "").raw("\">");
        h.raw("<th scope=\"row\" class=\"name\">").text(u.name().isEmpty() ? "(unnamed)" : u.name());
        if (!u.enabled()) {
            h.raw(" <span class=\"tag\">disabled</span>");
        } else if (u.weight() == 0) {
            h.raw(" <span class=\"tag\">drained</span>");
        }
        h.raw("</th><td class=\"uri\" data-label=\"URI\">").text(u.uri()).raw("</td><td class=\"transport\" data-label=\"Transport\">").text(u.transport().token()).raw("</td>");
        String configured = percent(r.configuredShare());
        h.raw("<td class=\"weight\" data-label=\"Weight\"><meter min=\"0\" max=\"100\" value=\"").text(String.format(Locale.ROOT, "%.1f", r.configuredShare() * 100))
                .raw("\" title=\"").text(configured).raw(" of priority ").text(r.priority()).raw("\">").text(configured).raw("</meter> <span class=\"weight-value\">")
                .text(u.weight()).raw("</span></td>");
        h.raw("<td class=\"share\" data-label=\"Share (5 min)\"><span class=\"configured\">").text(configured).raw("</span> / <span class=\"observed\">")
                .text(r.observedShare() == null ? "–" : percent(r.observedShare())).raw("</span></td>");
        ConsoleData.UriHealth health = r.health();
        h.raw("<td class=\"health\" data-label=\"Health\"><span class=\"state state-").text(health.state()).raw("\">").text(health.state()).raw("</span>");
        if (!health.reason().isEmpty()) {
            h.raw(" <span class=\"reason\">").text(health.reason()).raw("</span>");
        }
        if (health.probeRttMicros() != null) {
            h.raw(" <span class=\"rtt\">probe ").text(String.format(Locale.ROOT, "%.1f ms", health.probeRttMicros() / 1000.0)).raw("</span>");
        }
        h.raw("</td><td class=\"calls\" data-label=\"Calls (5 min)\">").text(r.traffic().calls()).raw("</td><td class=\"failovers\" data-label=\"Failovers (5 min)\">").text(r.traffic().failovers())
                .raw("</td><td class=\"actions\" data-label=\"Actions\">");
        String label = u.name().isEmpty() ? u.uri() : u.name();
        button(h, csrf, key, id, u.enabled() ? "disable" : "enable", u.enabled() ? "Disable" : "Enable", label, null);
        button(h, csrf, key, id, u.weight() == 0 ? "restore" : "drain", u.weight() == 0 ? "Restore" : "Drain", label, null);
        input(h, csrf, key, id, "weight", "Weight", u.weight(), label);
        if (t.trunk() != null && !t.namesUris()) {
            input(h, csrf, key, id, "priority", "Priority", u.priority(), label);
        }
        if (t.trunk() != null && r.priority() > t.bestPriority()) {
            button(h, csrf, key, id, "promote", "Promote to priority " + t.bestPriority(), label, t.trunk().id().toString());
        }
        ActionResult result = flash.get(key);
        h.raw("<output id=\"result-").text(key).raw("\" class=\"result\" hx-preserve=\"true\" role=\"status\">");
        if (result != null) {
            result(h, result);
        }
        h.raw("</output></td></tr>");
    }

    private static void button(Html h, String csrf, String key, String id, String action, String text, String label, String trunk) {
        h.raw("<form method=\"post\" action=\"/console/uris/").text(id).raw("/").text(action).raw("\" hx-post=\"/console/uris/")
                .text(id).raw("/").text(action).raw("\" hx-target=\"#result-").text(key).raw("\" hx-swap=\"innerHTML\" class=\"action\">");
        hiddenCsrf(h, csrf);
        h.raw("<input type=\"hidden\" name=\"key\" value=\"").text(key).raw("\">");
        if (trunk != null) {
            h.raw("<input type=\"hidden\" name=\"trunk\" value=\"").text(trunk).raw("\">");
        }
        h.raw("<button type=\"submit\" class=\"").text(action).raw("\" aria-label=\"").text(text + " " + label).raw("\">").text(text)
                .raw("</button></form>");
    }

    private static void input(Html h, String csrf, String key, String id, String field, String text, int value, String label) {
        String inputId = field + "-" + key;
        h.raw("<form method=\"post\" action=\"/console/uris/").text(id).raw("/").text(field).raw("\" hx-post=\"/console/uris/")
                .text(id).raw("/").text(field).raw("\" hx-target=\"#result-").text(key).raw("\" hx-swap=\"innerHTML\" class=\"edit\">");
        hiddenCsrf(h, csrf);
        h.raw("<input type=\"hidden\" name=\"key\" value=\"").text(key).raw("\">");
        h.raw("<label for=\"").text(inputId).raw("\">").text(text).raw("</label><input id=\"").text(inputId)
                .raw("\" name=\"value\" class=\"").text(field).raw("\" inputmode=\"numeric\" size=\"5\" value=\"").text(value)
                .raw("\" aria-label=\"").text(text + " of " + label).raw("\" hx-preserve=\"true\">");
        h.raw("<button type=\"submit\" class=\"set-").text(field).raw("\" aria-label=\"").text("Set " + field + " of " + label)
                .raw("\">Set</button></form>");
    }

    /** An action's result, as placed next to its control. */
    static String result(ActionResult result) {
        Html h = new Html();
        result(h, result);
        return h.toString();
    }

    private static void result(Html h, ActionResult result) {
        h.raw(result.ok() ? "<span class=\"ok\">" : "<span class=\"err\" role=\"alert\">").text(result.message()).raw("</span>");
    }

    /** The recent calls table, polled with the filter's values. */
    static String calls(List<ConsoleData.RecentCall> calls, Form filter) {
        Html h = new Html();
        calls(h, calls, filter);
        return h.toString();
    }

    private static void calls(Html h, List<ConsoleData.RecentCall> all, Form filter) {
        h.raw("<div id=\"calls\" hx-get=\"/console/calls\" hx-include=\"#call-filter\" hx-trigger=\"every " + REFRESH_SECONDS
                + "s, input changed delay:300ms from:#call-filter\" hx-swap=\"outerHTML\">");
        List<ConsoleData.RecentCall> calls = filter(all, filter);
        h.raw("<p class=\"note\">").text(calls.size() + " of the last " + all.size() + " calls").raw("</p>");
        h.raw("<div class=\"scroll\"><table class=\"calls\"><thead><tr><th scope=\"col\">Ended (UTC)</th><th scope=\"col\">Call-ID</th>")
                .raw("<th scope=\"col\">From</th><th scope=\"col\">To</th><th scope=\"col\">Trunk</th><th scope=\"col\">Outcome</th>")
                .raw("<th scope=\"col\">Post-dial delay</th><th scope=\"col\">Destinations tried</th></tr></thead><tbody>");
        for (ConsoleData.RecentCall c : calls) {
            h.raw("<tr class=\"call\"><td>").text(TIME.format(c.endedAt())).raw("</td><td class=\"call-id\">").text(c.callId())
                    .raw("</td><td class=\"from\">").text(c.from()).raw("</td><td class=\"to\">").text(c.to()).raw("</td><td>")
                    .text(c.trunkName().isEmpty() ? c.trunkId() : c.trunkName()).raw("</td><td class=\"outcome outcome-")
                    .text(c.outcome()).raw("\">").text(c.outcome() + (c.code() > 0 ? " " + c.code() : "")).raw("</td><td>")
                    .text(c.postDialDelayMs() < 0 ? "–" : c.postDialDelayMs() + " ms").raw("</td><td><ol class=\"tried\">");
            for (ConsoleData.TriedUri a : c.attempts()) {
                h.raw("<li>").text((a.name().isEmpty() ? a.uri() : a.name()) + " " + a.uri() + ": " + a.result() + " (" + a.millis() + " ms)")
                        .raw("</li>");
            }
            h.raw("</ol></td></tr>");
        }
        h.raw("</tbody></table></div></div>");
    }

    /** Calls whose Call-ID contains {@code call_id} and whose caller or called number contains {@code number}. */
    static List<ConsoleData.RecentCall> filter(List<ConsoleData.RecentCall> calls, Form filter) {
        String callId = filter.text("call_id");
        String number = filter.text("number");
        return calls.stream().filter(c -> callId.isEmpty() || c.callId().contains(callId))
                .filter(c -> number.isEmpty() || c.from().contains(number) || c.to().contains(number)).toList();
    }

    private static void hiddenCsrf(Html h, String csrf) {
        h.raw("<input type=\"hidden\" name=\"csrf\" value=\"").text(csrf).raw("\">");
    }

    private static Html head(String title) {
        return new Html().raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                // no inline styles (the CSP forbids them), no eval; 4xx/5xx answers are shown next to the control too
                .raw("<meta name=\"htmx-config\" content='{\"includeIndicatorStyles\": false, \"allowEval\": false, ")
                .raw("\"responseHandling\": [{\"code\": \"204\", \"swap\": false}, {\"code\": \"...\", \"swap\": true}]}'>")
                .raw("<title>").text("sipvane console: " + title).raw("</title>")
                .raw("<link rel=\"stylesheet\" href=\"/console/assets/console.css\">")
                .raw("<script src=\"/console/assets/htmx.min.js\" defer></script></head>");
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }
}
