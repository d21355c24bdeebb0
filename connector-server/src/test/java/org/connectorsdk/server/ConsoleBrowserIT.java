package org.connectorsdk.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person's walk through the console in a real headless Chromium (Debian's chromium and
 * chromium-driver) against the server and the Cortex XDR simulator: a wrong key fails the
 * AUTHENTICATION check with its remediation and Next stays disabled; the right key passes, the
 * instance is saved with a schedule, and "Run now" shows a PROCESSED run with its counts.
 * A failing test leaves a screenshot under {@code target/screenshots/}.
 */
class ConsoleBrowserIT {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path dir;
    static ServerFixture fixture;
    static WebDriver browser;
    static WebDriverWait wait;

    @RegisterExtension
    final TestWatcher screenshotOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            screenshot(context.getRequiredTestMethod().getName() + "-failed.png");
        }
    };

    @BeforeAll
    static void start() throws IOException {
        fixture = new ServerFixture(dir);
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1000",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            fixture.close();
        }
    }

    @Test
    void aPersonGoesFromTheWizardToAProcessedRun() throws IOException {
        browser.get(fixture.server.uri() + "/");
        byId("token").sendKeys(ServerFixture.TOKEN);
        byId("connect").click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("instances")));

        byId("nav-setup").click();
        new Select(byId("connector-select")).selectByValue("cortex-xdr");
        byId("next-0").click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("field-name")));
        byId("field-name").sendKeys("tenant-browser");
        byId("field-description").sendKeys("Simulated tenant, set up in the console");
        byId("field-baseUrl").sendKeys(fixture.tenant.baseUrl());
        byId("field-apiKeyId").sendKeys(ServerFixture.KEY_ID);
        // a PEM is long: typing it key by key adds nothing to the test
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", byId("field-caCertificate"),
                fixture.tenant.caCertificatePem());
        byId("field-apiKey").sendKeys("wrong-key-in-the-browser-0000");
        byId("next-1").click();

        // Next validates the form on the server first: the test step shows when that answer is in
        wait.until(ExpectedConditions.elementToBeClickable(By.id("run-test"))).click();
        WebElement auth = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#checks li.FAILED[data-kind=AUTHENTICATION]")));
        assertThat(auth.getText()).contains("Authentication Credential Check FAILED");
        assertThat(auth.findElement(By.className("remediation")).getText()).isNotBlank();
        wait.until(d -> byId("run-test").isEnabled());
        assertThat(byId("next-2").isEnabled()).isFalse();
        assertThat(browser.findElements(By.cssSelector("#checks li"))).extracting(e -> e.getDomAttribute("class"))
                .containsExactly("PASSED", "PASSED", "FAILED", "SKIPPED", "SKIPPED");

        browser.findElement(By.cssSelector("#step-2 .back")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("field-apiKey"))).clear();
        byId("field-apiKey").sendKeys(ServerFixture.KEY);
        byId("next-1").click();
        // Next validates the form on the server first: the test step shows when that answer is in
        wait.until(ExpectedConditions.elementToBeClickable(By.id("run-test"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("next-2")));
        assertThat(browser.findElements(By.cssSelector("#checks li.PASSED"))).hasSize(5);
        screenshot("setup-wizard.png");
        byId("next-2").click();

        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("maps"))).getText()).contains("Cortex XDR Asset Transform Map");
        byId("next-3").click();
        new Select(byId("schedule-zone")).selectByValue("Europe/Paris");
        wait.until(d -> d.findElements(By.cssSelector("#schedule-preview li")).size() == 3);
        assertThat(byId("schedule-description").getText()).contains("Europe/Paris timezone");
        byId("next-4").click();
        assertThat(byId("review").getText()).contains("\"apiKey\": \"[hidden]\"").doesNotContain(ServerFixture.KEY);
        byId("save").click();

        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#instance-rows tr[data-name=tenant-browser]")));
        assertThat(row.findElement(By.className("state")).getText()).isEqualTo("REGISTERED");
        row.findElement(By.className("run-now")).click();
        WebElement run = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#history-rows tr.run.PROCESSED")));
        assertThat(run.findElement(By.className("written")).getText()).isEqualTo("30");
        assertThat(run.findElement(By.className("read")).getText()).isEqualTo("30");
        assertThat(browser.getPageSource()).doesNotContain(ServerFixture.KEY);
    }

    private static WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private static Optional<Path> screenshot(String name) {
        if (browser == null) {
            return Optional.empty();
        }
        try {
            Path file = Files.createDirectories(SCREENSHOTS).resolve(name);
            Files.copy(((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), file,
                    StandardCopyOption.REPLACE_EXISTING);
            return Optional.of(file);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
