package jp.mynaguard.proxy.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import jp.mynaguard.proxy.hold.HoldState;
import jp.mynaguard.proxy.hold.Role;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's chromium, headless, driven by chromedriver, with a
 * phone-sized window. Approvers and admins must use TOTP here. Skipped (with the reason) only
 * when chromium or chromedriver is not installed; run-tests.sh installs both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private TestConsole console;
    private WebDriver browser;
    private WebDriverWait wait;
    private int items;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium or chromedriver is not installed (apt-get install chromium chromium-driver; run-tests.sh does)");
        console = new TestConsole(dir, c -> c.totpRequiredFor(Set.of(Role.APPROVER, Role.ADMIN)));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=ja");
        // A phone's screen (390 x 844 CSS pixels, touch): approvers decide from their phones.
        options.setExperimentalOption("mobileEmulation", java.util.Map.of("deviceMetrics",
                java.util.Map.of("width", 390, "height", 844, "pixelRatio", 3.0, "touch", true)));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(new File(dir.toFile(), "chromedriver.log")).build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (console != null) {
            console.close();
        }
    }

    @BeforeEach
    void freshBrowser() {
        if (browser != null) {
            browser.manage().deleteAllCookies();
            // A new 30-second step: each login uses a code no earlier login has used (replays are refused).
            console.clock.advance(Duration.ofSeconds(Totp.PERIOD_SECONDS));
        }
    }

    private String newItem() {
        String ref = String.format("WEB%05d", ++items);
        String number = ConsoleTestData.syntheticMyNumber(1000 + items);
        console.workflow.add(ConsoleTestData.approval(ref, console.clock.instant().minusSeconds(items), "給与の件 " + ref,
                number));
        return ref;
    }

    private void login(String user, String code) {
        browser.get(console.url() + "/login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(TestConsole.PASSWORD);
        if (code != null) {
            browser.findElement(By.id("code")).sendKeys(code);
        }
        browser.findElement(By.id("login-button")).click();
    }

    private String text() {
        return browser.findElement(By.tagName("body")).getText();
    }

    @Test
    void approverLogsInWithTotpSeesJapaneseAndApprovesOnAPhone() {
        String ref = newItem();
        login("suzuki", console.code("suzuki"));
        wait.until(ExpectedConditions.urlContains("/approvals"));
        assertTrue(text().contains("承認待ちのメール"), text());
        assertEquals("ja", browser.findElement(By.tagName("html")).getAttribute("lang"));
        browser.findElement(By.linkText(ref)).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("findings")));
        String page = text();
        assertTrue(page.contains("給与の件") && page.contains("社外") && page.contains("****-****-****"), page);
        assertFalse(page.matches("(?s).*[0-9]{12}.*"), "no number on the approver's page");
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertEquals(390L, js.executeScript("return window.innerWidth"), "a phone's width");
        assertTrue((Long) js.executeScript("return document.documentElement.scrollWidth") <= 390,
                "no sideways scrolling on a phone");
        WebElement approve = browser.findElement(By.id("approve"));
        assertTrue(approve.getSize().getHeight() >= 44, "a touch-sized button");
        browser.findElement(By.id("comment")).sendKeys("確認しました。送信してください。");
        approve.click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("notice")));
        assertTrue(text().contains("承認しました"));
        assertEquals("承認済み", browser.findElement(By.id("state")).getText());
        assertEquals(HoldState.APPROVED, console.workflow.state(ref));
        assertEquals("確認しました。送信してください。", console.workflow.history(ref).get(1).comment());
    }

    @Test
    void approverRejectsWithACommentAndTheSenderSeesIt() {
        String ref = newItem();
        login("suzuki", console.code("suzuki"));
        wait.until(ExpectedConditions.urlContains("/approvals"));
        browser.get(console.url() + "/items/" + ref);
        browser.findElement(By.id("comment")).sendKeys("宛先が社外です。個人番号を削除して再送してください。");
        browser.findElement(By.id("reject")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("notice")));
        assertTrue(text().contains("却下しました"));
        assertEquals(HoldState.REJECTED, console.workflow.state(ref));

        browser.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.urlContains("/login"));
        login("tanaka", null);
        wait.until(ExpectedConditions.urlContains("/my"));
        String mine = text();
        assertTrue(mine.contains("自分の保留メール"));
        assertTrue(mine.contains("宛先が社外です。個人番号を削除して再送してください。"), mine);
    }

    @Test
    void revealIsRefusedWithoutThePermissionAndShownWithIt() {
        String ref = newItem();
        login("suzuki", console.code("suzuki"));
        wait.until(ExpectedConditions.urlContains("/approvals"));
        browser.get(console.url() + "/items/" + ref);
        assertTrue(browser.findElements(By.id("reveal")).isEmpty(), "no reveal button for an approver");
        // Even a hand-made form with a valid CSRF token is refused by the server.
        ((JavascriptExecutor) browser).executeScript(
                "var f = document.createElement('form'); f.method = 'post'; f.action = '/items/" + ref + "/reveal';"
                        + "var t = document.querySelector('input[name=csrf]').cloneNode(); f.appendChild(t);"
                        + "document.body.appendChild(f); f.submit();");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("error")));
        assertEquals("403", browser.findElement(By.id("error")).getAttribute("data-status"));
        assertTrue(text().contains("権限がありません"));
        assertFalse(text().contains(ConsoleTestData.BODY_MARKER));
        assertTrue(console.workflow.history(ref).stream().noneMatch(t -> t.action().equals("reveal")));

        browser.manage().deleteAllCookies();
        login("admin", console.code("admin"));
        wait.until(ExpectedConditions.urlContains("/approvals"));
        browser.get(console.url() + "/items/" + ref);
        browser.findElement(By.id("reveal")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("reveal-recorded")));
        assertTrue(text().contains(ConsoleTestData.BODY_MARKER));
        assertTrue(console.workflow.history(ref).stream().anyMatch(t -> t.action().equals("reveal")
                && t.actor().equals("admin")));
    }

    @Test
    void aWrongCodeOrNoCodeIsRefusedInJapaneseAndEnglishIsOneTapAway() {
        login("suzuki", null);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login-error")));
        assertTrue(browser.findElement(By.id("login-error")).getText().contains("正しくありません"));
        browser.findElement(By.id("lang-switch")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Log in"));
        login("suzuki", "000000".equals(console.code("suzuki")) ? "111111" : "000000");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login-error")));
        assertTrue(browser.findElement(By.id("login-error")).getText().contains("not correct"), "the language stays");
    }
}
