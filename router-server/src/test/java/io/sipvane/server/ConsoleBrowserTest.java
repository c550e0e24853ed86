package io.sipvane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.model.OriginationUri;
import io.sipvane.sip.testing.Sipp;
import io.sipvane.sip.testing.TestUa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's headless Chromium through Selenium) against a whole
 * router routing SIPp calls to three SIPp PBXs that answer the router's OPTIONS probes. Calls
 * are counted at the PBXs (SIPp's per-message counts: {@code 1_INVITE_Recv}, so probes do not
 * count). Every wait polls a condition; nothing sleeps a fixed time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    private static final String ONE = "MACONSOLEONE00000001";
    private static final String TWO = "MACONSOLETWO00000001";
    private static final String TRUNK = "7f0c1f5e-0000-4000-8000-0000000000c1";
    private static final String A = "aabbccdd-0000-4000-8000-0000000000a1";
    private static final String B = "aabbccdd-0000-4000-8000-0000000000b1";
    private static final String BACKUP = "aabbccdd-0000-4000-8000-0000000000c1";
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Where the screenshots go: the module's build directory. */
    private static final Path SHOTS = Path.of("target", "console-screenshots");

    @TempDir
    Path dir;
    private Sipp sipp;
    private Pbx a;
    private Pbx b;
    private Pbx backup;
    private Sipvane router;
    private int sipPort;
    private String base;
    private ChromeDriver browser;
    private int uacRuns;

    /** A SIPp PBX (uas_rr.xml: rings, answers, answers OPTIONS) whose INVITEs are counted apart from probes. */
    private record Pbx(int port, Process process, Path counts) {
        String uri() {
            return "sip:127.0.0.1:" + port;
        }

        long invites() {
            try {
                Sipp.Stats s = Sipp.Stats.read(counts);
                return s == null ? 0 : s.get("1_INVITE_Recv");
            } catch (Exception e) {
                return -1; // being rewritten: read again on the next poll
            }
        }
    }

    @BeforeAll
    void startRouterAndPbxs() throws Exception {
        Path work = Files.createTempDirectory("sipvane-console");
        sipp = new Sipp(work);
        a = pbx(work, "a");
        b = pbx(work, "b");
        backup = pbx(work, "backup");
        sipPort = TestUa.freePort();
        Path config = work.resolve("sipvane.yaml");
        Files.writeString(config, """
                sip:
                  listen: ["udp:127.0.0.1:%d"]
                admin: { listen: "127.0.0.1:0" }
                health: { probe_interval_ms: 500, probe_timeout_ms: 1000 }
                accounts:
                  - { auth_id: %s, auth_token: "one-secret" }
                  - { auth_id: %s, auth_token: "two-secret" }
                trunks:
                  - { id: %s, account_id: %s, name: "Inbound SF", match: { default: true } }
                  - { id: 7f0c1f5e-0000-4000-8000-0000000000c2, account_id: %s, name: "Two's trunk", match: { numbers: ["+1999"] } }
                origination_uris:
                  - { id: %s, account_id: %s, trunk_id: %s, name: "PBX A", uri: "%s", priority: 1, weight: 10 }
                  - { id: %s, account_id: %s, trunk_id: %s, name: "PBX B", uri: "%s", priority: 1, weight: 30 }
                  - { id: %s, account_id: %s, trunk_id: %s, name: "Backup SBC", uri: "%s", priority: 2, weight: 10 }
                  - { id: aabbccdd-0000-4000-8000-0000000000d1, account_id: %s, trunk_id: 7f0c1f5e-0000-4000-8000-0000000000c2, name: "Two's PBX", uri: "sip:127.0.0.1:9", priority: 1 }
                """.formatted(sipPort, ONE, TWO, TRUNK, ONE, TWO, A, ONE, TRUNK, a.uri(), B, ONE, TRUNK, b.uri(),
                BACKUP, ONE, TRUNK, backup.uri(), TWO));
        router = Main.boot(new String[] {"--config", config.toString()});
        base = "http://127.0.0.1:" + router.adminPort();
        Files.createDirectories(SHOTS);
    }

    private Pbx pbx(Path work, String name) throws Exception {
        int port = TestUa.freePort();
        Process p = sipp.start(work.resolve("uas-" + name + ".out"), Sipp.locate("sipp"), "-sf", Sipp.scenario("uas_rr.xml"),
                "-i", "127.0.0.1", "-p", Integer.toString(port), "-t", "u1", "-nostdin", "-trace_counts", "-fd", "1");
        return new Pbx(port, p, work.resolve("uas_rr_" + p.pid() + "_counts.csv"));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (router != null) {
            router.close();
        }
        if (sipp != null) {
            sipp.close();
        }
    }

    @Test
    void anOperatorSeesHealthAndTraffic_disablesDrainsAndRestoresWithAClick_andTheCallsFollow() throws Exception {
        browser = Chromium.start(dir, true);
        signIn(ONE, "one-secret");
        WebDriverWait wait = waiter();

        // health: the probes find all three PBXs up, with a round trip; the page refreshes by itself
        for (String uri : new String[] {A, B, BACKUP}) {
            wait.until(d -> cell(uri, "health").getText().startsWith("up"));
        }
        assertThat(text(A, "health")).contains("probe answered 200").containsPattern("probe \\d+\\.\\d ms");
        assertThat(text(A, "uri")).isEqualTo(a.uri());
        assertThat(text(A, "transport")).isEqualTo("udp");
        assertThat(text(A, "share")).startsWith("25.0 % /");
        assertThat(text(B, "share")).startsWith("75.0 % /");
        assertThat(browser.findElements(By.xpath("//h3[text()='Priority 2']"))).hasSize(1);

        // traffic: 40 calls split by weight between A and B, shown as calls and observed shares
        long a0 = invites(a);
        long b0 = invites(b);
        call(40);
        awaitInvites(40, a0, b0);
        wait.until(d -> Long.parseLong(cell(A, "calls").getText()) + Long.parseLong(cell(B, "calls").getText()) == 40);
        assertThat(text(A, "share")).matches("25\\.0 % / \\d+\\.\\d %");
        wait.until(d -> d.findElements(By.cssSelector("#calls tr.call")).size() == 40);
        screenshot("console-main.png");

        // disable A with a click: the result shows next to the button, and the next calls all go to B
        click(A, "button.disable");
        wait.until(d -> result(A).getText().startsWith("Disabled"));
        assertThat(uri(A).enabled()).isFalse();
        wait.until(d -> cell(A, "health").getText().contains("disabled"));
        long aBefore = invites(a);
        long bBefore = invites(b);
        call(20);
        awaitInvites(20, aBefore, bBefore);
        assertThat(invites(a)).as("calls to disabled A").isEqualTo(aBefore);
        assertThat(invites(b)).isEqualTo(bBefore + 20);
        click(A, "button.enable");
        wait.until(d -> result(A).getText().startsWith("Enabled"));

        // drain B from the keyboard (Enter on the focused button): weight 0, calls go to A; restore gives its 30 back
        wait.until(d -> {
            row(B).findElement(By.cssSelector("button.drain")).sendKeys(Keys.ENTER);
            return true;
        });
        wait.until(d -> result(B).getText().startsWith("Drained"));
        assertThat(uri(B).weight()).isZero();
        wait.until(d -> cell(B, "share").getText().startsWith("0.0 %"));
        aBefore = invites(a);
        bBefore = invites(b);
        call(20);
        awaitInvites(20, aBefore, bBefore);
        assertThat(invites(b)).as("calls to drained B").isEqualTo(bBefore);
        click(B, "button.restore");
        wait.until(d -> result(B).getText().startsWith("Restored: weight 30"));
        assertThat(uri(B).weight()).isEqualTo(30);

        // an invalid weight: the API's own message next to the control, and nothing changed
        WebElement weight = field(A, "input.weight");
        weight.clear();
        weight.sendKeys("70000");
        click(A, "button.set-weight");
        wait.until(d -> result(A).getText().equals("weight: 70000 (expected: 0..65535)"));
        assertThat(uri(A).weight()).isEqualTo(10);
        assertThat(field(A, "output.result .err").getAttribute("role")).isEqualTo("alert");

        // promote the backup as in seed 003: it takes priority 1, A and B move to 2
        click(BACKUP, "button.promote");
        wait.until(d -> uri(BACKUP).priority() == 1);
        assertThat(uri(A).priority()).isEqualTo(2);
        wait.until(d -> d.findElement(By.xpath("//h3[text()='Priority 1']/following-sibling::div[1]")).getText().contains("Backup SBC"));
        WebElement priority = field(BACKUP, "input.priority");
        priority.clear();
        priority.sendKeys("2");
        click(BACKUP, "button.set-priority");
        wait.until(d -> uri(BACKUP).priority() == 2);
        for (String uri : new String[] {A, B}) {
            WebElement p = field(uri, "input.priority");
            p.clear();
            p.sendKeys("1");
            click(uri, "button.set-priority");
            wait.until(d -> uri(uri).priority() == 1);
        }

        // the recent calls filter by number and Call-ID
        WebElement number = browser.findElement(By.id("f-number"));
        number.sendKeys("14155550100");
        wait.until(d -> d.findElements(By.cssSelector("#calls tr.call")).size() == 80);
        String callId = wait.until(d -> d.findElement(By.cssSelector("#calls tr.call td.call-id")).getText());
        browser.findElement(By.id("f-call-id")).sendKeys(callId);
        wait.until(d -> d.findElements(By.cssSelector("#calls tr.call")).size() == 1);
        String tried = wait.until(d -> d.findElement(By.cssSelector("#calls tr.call ol.tried")).getText());
        assertThat(tried).contains(": 200 (");

        // a phone-sized screen: the page does not scroll sideways (tables scroll inside their box)
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        wait.until(d -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("return document.documentElement.scrollWidth <= window.innerWidth"));
        screenshot("console-phone.png");
    }

    @Test
    void anotherAccountsCredentials_doNotSeeTheTrunk() throws Exception {
        browser = Chromium.start(dir, true);
        signIn(TWO, "two-secret");
        String page = browser.getPageSource();
        assertThat(page).contains("Two's PBX").doesNotContain("Inbound SF").doesNotContain("PBX A").doesNotContain(A);

        browser.get(base + "/console/logout"); // a GET: not a way to log out
        browser.get(base + "/console/");
        browser.findElement(By.id("logout")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("auth_id")));
        browser.findElement(By.id("auth_id")).sendKeys(TWO);
        browser.findElement(By.id("auth_token")).sendKeys("wrong");
        browser.findElement(By.id("login")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("login-error")));
        assertThat(browser.findElement(By.id("login-error")).getText()).contains("Authentication failed");
    }

    @Test
    void aCrossSitePost_withoutTheToken_isRefused() throws Exception {
        browser = Chromium.start(dir, true);
        signIn(ONE, "one-secret");
        String session = browser.manage().getCookieNamed("sipvane_session").getValue();
        assertThat(browser.manage().getCookieNamed("sipvane_session").isHttpOnly()).isTrue();
        assertThat(browser.manage().getCookieNamed("sipvane_session").getSameSite()).isEqualTo("Strict");

        // another site's page posting to the console: the browser withholds the Strict cookie, the router refuses
        String form = "<form method='post' action='" + base + "/console/uris/" + A + "/disable'><input name='key' value='x'></form>"
                + "<script>document.forms[0].submit()</script>";
        browser.get("data:text/html;charset=utf-8," + java.net.URLEncoder.encode(form, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20"));
        new WebDriverWait(browser, WAIT).until(d -> d.getCurrentUrl().startsWith(base));
        assertThat(browser.getPageSource()).contains("nothing was changed");

        // and with the session cookie itself, as a forger who had it would send: no token, another Origin
        HttpResponse<String> forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base + "/console/uris/" + A + "/disable")).timeout(Duration.ofSeconds(30))
                .header("Cookie", "sipvane_session=" + session).header("Origin", "http://evil.example")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("key=x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(uri(A).enabled()).isTrue();
    }

    @Test
    void withoutJavaScript_thePageStillReads_asPlainTables() throws Exception {
        browser = Chromium.start(dir, false);
        signIn(ONE, "one-secret");
        assertThat(browser.findElements(By.cssSelector("table.uris tbody tr"))).hasSize(3);
        assertThat(cell(B, "uri").getText()).isEqualTo(b.uri());
        assertThat(cell(B, "health").getText()).isNotBlank();
        screenshot("console-no-javascript.png");
    }

    private void signIn(String account, String token) {
        browser.get(base + "/console/");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("auth_id")));
        browser.findElement(By.id("auth_id")).sendKeys(account);
        browser.findElement(By.id("auth_token")).sendKeys(token);
        browser.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.textToBe(By.id("account"), account));
    }

    /** A wait that polls every 100 ms and reads again an element the live refresh replaced meanwhile. */
    private WebDriverWait waiter() {
        WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(100));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    /** A cell's text, read again if the refresh replaced the row meanwhile. */
    private String text(String uri, String column) {
        return waiter().until(d -> cell(uri, column).getText());
    }

    private WebElement row(String uri) {
        return browser.findElement(By.cssSelector("tr[data-uri-id='" + uri + "']"));
    }

    private WebElement cell(String uri, String column) {
        return row(uri).findElement(By.cssSelector("." + column));
    }

    /** An element of the URI's row; inputs and results survive the refresh (hx-preserve), rows do not. */
    private WebElement field(String uri, String selector) {
        return waiter().until(d -> row(uri).findElement(By.cssSelector(selector)));
    }

    private WebElement result(String uri) {
        return row(uri).findElement(By.cssSelector("output.result"));
    }

    private void click(String uri, String selector) {
        waiter().until(d -> {
            row(uri).findElement(By.cssSelector(selector)).click();
            return true;
        });
    }

    private OriginationUri uri(String id) {
        return router.store().current().originationUri(UUID.fromString(id)).orElseThrow();
    }

    private void call(int calls) throws Exception {
        Sipp.Stats s = sipp.runUac(sipPort, calls, 20, "uac-" + (++uacRuns));
        assertThat(s.get("SuccessfulCall(C)")).isEqualTo(calls);
    }

    private static long invites(Pbx pbx) throws InterruptedException {
        long[] n = new long[1];
        Sipp.await("counts of " + pbx.uri(), () -> (n[0] = pbx.invites()) >= 0);
        return n[0];
    }

    /** Waits until A and B together received {@code calls} more INVITEs than {@code a0} + {@code b0}. */
    private void awaitInvites(int calls, long a0, long b0) throws InterruptedException {
        Sipp.await(calls + " INVITEs at A and B", () -> a.invites() - a0 + b.invites() - b0 >= calls);
        assertThat(a.invites() - a0 + b.invites() - b0).isEqualTo(calls);
    }

    private void screenshot(String name) throws Exception {
        Path shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
