package jp.mynaguard.proxy.hold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jp.mynaguard.proxy.console.Base32;
import jp.mynaguard.proxy.console.ConsoleSettings;
import jp.mynaguard.proxy.console.ConsoleTestData;
import jp.mynaguard.proxy.console.Totp;
import jp.mynaguard.proxy.gateway.Gateway;
import jp.mynaguard.proxy.gateway.GatewayComponents;
import jp.mynaguard.proxy.gateway.GatewayConfig;
import jp.mynaguard.proxy.gateway.UpstreamSettings;
import jp.mynaguard.proxy.smtp.PasswordHash;
import jp.mynaguard.proxy.smtp.SmtpUser;
import jp.mynaguard.proxy.smtp.SmtpUsers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The whole path with real parts only: swaks sends My Number mail to the gateway as {@code serve}
 * starts it (SQLite store, the real approval workflow and scheduler, the real upstream client);
 * the approver logs in to the console in headless chromium with a TOTP code, approves one item
 * and rejects the other with a comment; a real SMTP server on loopback receives exactly the held
 * bytes of the approved one, and the sender's rejection notice carries the comment and no number.
 */
class ConsoleEndToEndTest {
    private static final Path SWAKS = Path.of("/usr/bin/swaks");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String PASSWORD = "approver-password";
    private static final String COMMENT = "宛先が社外です。番号を消して送り直してください。";

    @TempDir
    Path dir;

    @Test
    void heldByTheGatewayApprovedAndRejectedInTheBrowserReleasedExactlyAsHeld() throws Exception {
        assumeTrue(Files.isExecutable(SWAKS), "swaks is not installed (run-tests.sh installs it)");
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium or chromedriver is not installed (run-tests.sh installs them)");
        Path policy = dir.resolve("policy.yaml");
        try (InputStream in = getClass().getResourceAsStream("/smtp/approval-policy.yaml")) {
            Files.write(policy, in.readAllBytes());
        }
        String secret = Totp.newSecret();
        Path users = dir.resolve("users");
        SmtpUsers.write(users, List.of(new SmtpUser("yamada", PasswordHash.create(PASSWORD.toCharArray(), 1000),
                List.of("yamada@example.co.jp"), Set.of(Role.APPROVER), secret, List.of())));
        try (SmtpSink sink = new SmtpSink()) {
            GatewayConfig config = GatewayConfig.builder().dataDir(dir.resolve("data")).policyFile(policy)
                    .smtpListen("127.0.0.1:0").hostname("mynaguard.test").usersFile(users).opsListen("127.0.0.1:0")
                    .upstream(new UpstreamSettings("127.0.0.1", sink.port(), "none", null, null, null))
                    .hold(HoldSettings.builder().tick(Duration.ofMillis(200)).build())
                    .console(ConsoleSettings.DEFAULTS.withListen("127.0.0.1", 0).withTotpRequiredFor(Set.of(Role.APPROVER)))
                    .http(jp.mynaguard.proxy.gateway.HttpProxySettings.DEFAULTS.withEnabled(false))
                    .build();
            try (Gateway g = Gateway.start(config, GatewayComponents.DEFAULT)) {
                String approved = hold(g, "roster for payroll", ConsoleTestData.syntheticMyNumber(11));
                String rejected = hold(g, "roster to partner", ConsoleTestData.syntheticMyNumber(12));
                byte[] stored;
                try (SqliteHoldStore store = SqliteHoldStore.open(dir.resolve("data"));
                     InputStream in = store.openContent(approved)) {
                    stored = in.readAllBytes();
                }
                WebDriver browser = browser();
                try {
                    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                    browser.get(g.consoleUrl() + "/login");
                    browser.findElement(By.id("username")).sendKeys("yamada");
                    browser.findElement(By.id("password")).sendKeys(PASSWORD);
                    browser.findElement(By.id("code")).sendKeys(Totp.code(Base32.decode(secret),
                            Totp.step(Instant.now()), "HmacSHA1", Totp.DIGITS));
                    browser.findElement(By.id("login-button")).click();
                    wait.until(ExpectedConditions.urlContains("/approvals"));
                    String list = browser.findElement(By.tagName("body")).getText();
                    assertTrue(list.contains("承認待ちのメール") && list.contains(approved) && list.contains(rejected), list);

                    browser.findElement(By.linkText(approved)).click();
                    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("findings")));
                    String page = browser.findElement(By.tagName("body")).getText();
                    assertTrue(page.contains("partner@outside.test") && page.contains("社外"), page);
                    assertFalse(Pattern.compile("[0-9]{12}").matcher(page).find(), "no number on the approver's page");
                    assertTrue(page.contains("****"), "the finding, masked");
                    browser.findElement(By.id("comment")).sendKeys("確認しました");
                    browser.findElement(By.id("approve")).click();
                    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("notice")));

                    browser.get(g.consoleUrl() + "/items/" + rejected);
                    browser.findElement(By.id("comment")).sendKeys(COMMENT);
                    browser.findElement(By.id("reject")).click();
                    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("notice")));
                    assertEquals("却下", browser.findElement(By.id("state")).getText());
                } finally {
                    browser.quit();
                }

                SmtpSink.Message released = await(sink, m -> m.recipients().equals(List.of("partner@outside.test")));
                assertEquals("tanaka@example.co.jp", released.mailFrom());
                assertArrayEquals(stored, released.data(), "exactly the bytes that were held and approved");
                SmtpSink.Message notice = await(sink, m -> m.recipients().equals(List.of("tanaka@example.co.jp"))
                        && text(m).contains(COMMENT));
                assertFalse(text(notice).contains(ConsoleTestData.syntheticMyNumber(12)), "no number in the notice");
                assertEquals(1, sink.snapshot().stream().filter(m -> m.recipients().contains("partner@outside.test"))
                        .count(), "the rejected one never went out");
            }
        }
    }

    /** Sends a message with swaks; returns the reference id of the hold. */
    private static String hold(Gateway g, String subject, String number) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(SWAKS.toString(), "--server", "127.0.0.1", "--port",
                Integer.toString(g.smtpAddress().getPort()), "--helo", "client.test", "--timeout", "30",
                "--from", "tanaka@example.co.jp", "--to", "partner@outside.test", "--header", "Subject: " + subject,
                "--body", "マイナンバー: " + number));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        Matcher held = Pattern.compile("250 2\\.0\\.0 Held for review, ref ([A-Z0-9]{8})").matcher(out);
        assertTrue(held.find(), out);
        return held.group(1);
    }

    private WebDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage");
        options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                Map.of("width", 390, "height", 844, "pixelRatio", 3.0, "touch", true)));
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogFile(new File(dir.toFile(), "chromedriver.log")).build(), options);
    }

    private static SmtpSink.Message await(SmtpSink sink, Predicate<SmtpSink.Message> which) throws Exception {
        for (int i = 0; i < 600; i++) {
            for (SmtpSink.Message m : sink.snapshot()) {
                if (which.test(m)) {
                    return m;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never arrived; the sink has " + sink.snapshot().size() + " message(s)");
    }

    /** Every text part of a mail, decoded (notices are MIME, possibly base64). */
    private static String text(SmtpSink.Message m) {
        try {
            MimeMessage msg = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(m.data()));
            StringBuilder sb = new StringBuilder();
            collect(msg, sb);
            return sb.toString();
        } catch (Exception e) {
            throw new AssertionError("unreadable mail", e);
        }
    }

    private static void collect(Part p, StringBuilder sb) throws Exception {
        if (p.isMimeType("text/*")) {
            sb.append(p.getContent()).append('\n');
        } else if (p.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) p.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                collect(mp.getBodyPart(i), sb);
            }
        }
    }
}
