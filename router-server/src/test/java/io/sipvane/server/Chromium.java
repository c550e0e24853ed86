package io.sipvane.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through the system chromedriver: both are required (CI
 * installs the packages {@code chromium} and {@code chromium-driver}); a missing one fails the
 * test rather than skipping it. Selenium is given both paths, so Selenium Manager never runs
 * and nothing is downloaded. Each browser gets a fresh profile under {@code dir}.
 */
final class Chromium {
    static final String BROWSER = "/usr/bin/chromium";
    static final String DRIVER = "/usr/bin/chromedriver";

    private Chromium() {}

    static ChromeDriver start(Path dir, boolean javascript) throws Exception {
        assertThat(new File(DRIVER)).as(DRIVER + " (Debian package chromium-driver; .ci/run installs it)").canRead();
        assertThat(new File(BROWSER)).as(BROWSER + " (Debian package chromium; .ci/run installs it)").canRead();
        System.setProperty("webdriver.chrome.driver", DRIVER);
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1600,1000");
        if (!javascript) {
            options.setExperimentalOption("prefs", java.util.Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort().withLogFile(dir.resolve("chromedriver-" + System.nanoTime() + ".log").toFile()).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        // a busy 2-core machine: generous, the waits themselves poll
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }
}
