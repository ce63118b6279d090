package jp.mynaguard.proxy.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import jp.mynaguard.proxy.hold.HoldKind;
import jp.mynaguard.proxy.hold.HoldState;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pages over real HTTP: what each kind of user sees and does, in Japanese by default. */
class ConsolePagesTest {
    private static final Pattern TWELVE_DIGITS = Pattern.compile("[0-9０-９]{12}");

    @TempDir
    Path dir;
    TestConsole console;
    String number;

    @BeforeEach
    void start() throws Exception {
        console = new TestConsole(dir);
        number = ConsoleTestData.syntheticMyNumber(42);
        console.workflow.add(ConsoleTestData.approval("REF1AAAA", TestConsole.START.minusSeconds(600),
                "<script>alert(1)</script> 名簿 " + number, number));
    }

    @AfterEach
    void stop() {
        console.close();
    }

    @Test
    void theApproverSeesTheItemMaskedAndEscapedInJapaneseAndApprovesIt() throws Exception {
        HttpSession s = new HttpSession(console.url());
        assertEquals(303, s.login("suzuki", TestConsole.PASSWORD, console.code("suzuki")).statusCode());
        HttpResponse<String> list = s.get("/approvals");
        assertEquals(200, list.statusCode());
        assertTrue(list.body().contains("承認待ちのメール"), list.body());
        assertTrue(list.body().contains("REF1AAAA"));
        assertTrue(list.body().contains("<html lang=\"ja\">"));

        HttpResponse<String> item = s.get("/items/REF1AAAA");
        String page = item.body();
        assertEquals(200, item.statusCode());
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the subject is escaped");
        assertFalse(page.contains("<script>alert"), "no markup from the message");
        assertFalse(TWELVE_DIGITS.matcher(page).find(), "no number on the approver's page");
        assertTrue(page.contains("************"), "the digit run in the subject is masked");
        assertTrue(page.contains("社外"), "the external recipient is marked");
        assertTrue(page.contains("名簿.csv") && page.contains("2.0 KB"), "attachment name and size");
        assertTrue(page.contains("マイナンバー: ****-****-****"), "masked context");
        assertTrue(page.contains("id=\"approve\""));
        assertFalse(page.contains("id=\"reveal\""), "no reveal button without the reveal role");

        HttpResponse<String> done = s.post("/items/REF1AAAA/approve", Map.of("comment", "確認しました"));
        assertEquals(303, done.statusCode());
        assertEquals("/items/REF1AAAA?done=approved", done.headers().firstValue("Location").orElseThrow());
        assertEquals(HoldState.APPROVED, console.workflow.state("REF1AAAA"));
        String after = s.get("/items/REF1AAAA?done=approved").body();
        assertTrue(after.contains("承認しました"));
        assertTrue(after.contains("確認しました"), "the comment is in the history");
        assertFalse(after.contains("id=\"approve\""), "no second decision");
    }

    @Test
    void theSenderSeesStateAndTheApproversCommentAndCanWithdrawOnlyWhileHeld() throws Exception {
        console.workflow.add(ConsoleTestData.ofKind("HOLD2BBB", HoldKind.HOLD, ConsoleTestData.TANAKA,
                TestConsole.START.minusSeconds(60)));
        HttpSession approver = new HttpSession(console.url());
        approver.login("suzuki", TestConsole.PASSWORD, console.code("suzuki"));
        assertEquals(303, approver.post("/items/REF1AAAA/reject", Map.of("comment", "宛先を確認してください")).statusCode());

        HttpSession sender = new HttpSession(console.url());
        assertEquals(303, sender.login("tanaka", TestConsole.PASSWORD, null).statusCode());
        String mine = sender.get("/my").body();
        assertTrue(mine.contains("自分の保留メール"));
        assertTrue(mine.contains("却下") && mine.contains("宛先を確認してください"), "state and the approver's comment");
        assertTrue(mine.contains("一時保留") && mine.contains("保留中"));

        String hold = sender.get("/items/HOLD2BBB").body();
        assertTrue(hold.contains("送信を取り消す"));
        assertEquals(303, sender.post("/items/HOLD2BBB/cancel", Map.of("comment", "")).statusCode());
        assertEquals(HoldState.CANCELLED, console.workflow.state("HOLD2BBB"));
        HttpResponse<String> again = sender.post("/items/HOLD2BBB/cancel", Map.of("comment", ""));
        assertEquals(409, again.statusCode());
        assertTrue(again.body().contains("処理できません"));
        assertFalse(sender.get("/items/REF1AAAA").body().contains("id=\"cancel\""), "a decided request has no withdraw");
    }

    @Test
    void englishByQueryParameterAndCookie() throws Exception {
        HttpSession s = new HttpSession(console.url());
        s.login("tanaka", TestConsole.PASSWORD, null);
        HttpResponse<String> en = s.get("/my?lang=en");
        assertTrue(en.body().contains("My held mail") && en.body().contains("<html lang=\"en\">"));
        assertTrue(en.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("mg_lang=en")));
        assertTrue(s.get("/items/REF1AAAA").body().contains("Held mail REF1AAAA"), "the cookie keeps English");
        assertTrue(s.get("/my?lang=ja").body().contains("自分の保留メール"));
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndPagesAreNotCached() throws Exception {
        HttpSession s = new HttpSession(console.url());
        HttpResponse<String> login = s.get("/login");
        assertEquals(SecurityHeaders.CSP, login.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("DENY", login.headers().firstValue("X-Frame-Options").orElseThrow());
        assertEquals("nosniff", login.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("no-store", login.headers().firstValue("Cache-Control").orElseThrow());
        assertTrue(login.body().contains("name=\"viewport\""));
        assertFalse(login.body().contains("http://") || login.body().contains("https://"), "no external resources");
        HttpResponse<String> css = s.get(Assets.url("console.css"));
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElseThrow().startsWith("text/css"));
        assertTrue(css.headers().firstValue("Cache-Control").orElseThrow().contains("max-age"));
        assertEquals(404, s.get("/assets/other.css").statusCode());
    }

    @Test
    void pagesNeedASessionAndTheSessionExpiresWhenIdleOrTooOld() throws Exception {
        HttpSession s = new HttpSession(console.url());
        HttpResponse<String> r = s.get("/items/REF1AAAA");
        assertEquals(303, r.statusCode());
        assertEquals("/login?next=%2Fitems%2FREF1AAAA", r.headers().firstValue("Location").orElseThrow());
        s.login("tanaka", TestConsole.PASSWORD, null);
        assertEquals(200, s.get("/my").statusCode());
        console.clock.advance(ConsoleLimits.SESSION_IDLE.minusMinutes(1));
        assertEquals(200, s.get("/my").statusCode(), "used within the idle time");
        console.clock.advance(ConsoleLimits.SESSION_IDLE);
        assertEquals(303, s.get("/my").statusCode(), "idle too long");

        s.login("tanaka", TestConsole.PASSWORD, null);
        for (int i = 0; i < 30; i++) {
            console.clock.advance(Duration.ofMinutes(25));
            if (s.get("/my").statusCode() != 200) {
                assertTrue(i * 25 >= ConsoleLimits.SESSION_MAX.toMinutes() - 25, "ended only at the absolute limit");
                return;
            }
        }
        throw new AssertionError("the session outlived its absolute limit");
    }

    @Test
    void aSecondLoginPageKeepsTheBrowsersLoginTokenAndFaviconIsNoRedirect() throws Exception {
        HttpSession s = new HttpSession(console.url());
        String first = s.get("/login").body().replaceAll("(?s).*name=\"login_token\" value=\"([^\"]+)\".*", "$1");
        assertEquals(404, s.get("/favicon.ico").statusCode());
        String second = s.get("/login?next=/my").body().replaceAll("(?s).*name=\"login_token\" value=\"([^\"]+)\".*", "$1");
        assertEquals(first, second, "another tab does not invalidate the form being filled in");
        assertEquals(303, s.login("tanaka", TestConsole.PASSWORD, null).statusCode());
    }

    @Test
    void aNewLoginInTheSameBrowserEndsTheSessionItHad() throws Exception {
        HttpSession s = new HttpSession(console.url());
        s.login("tanaka", TestConsole.PASSWORD, null);
        String first = s.cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(Cookies.SESSION))
                .findFirst().orElseThrow().getValue();
        s.login("suzuki", TestConsole.PASSWORD, console.code("suzuki"));
        HttpSession replay = new HttpSession(console.url());
        java.net.HttpCookie c = new java.net.HttpCookie(Cookies.SESSION, first);
        c.setPath("/");
        replay.cookies.getCookieStore().add(java.net.URI.create(console.url()), c);
        assertEquals(303, replay.get("/my").statusCode(), "tanaka's session ended when suzuki logged in");
        assertTrue(s.get("/approvals").body().contains("suzuki"));
    }

    @Test
    void logoutEndsTheSessionOnTheServer() throws Exception {
        HttpSession s = new HttpSession(console.url());
        s.login("tanaka", TestConsole.PASSWORD, null);
        String cookie = s.cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(Cookies.SESSION))
                .findFirst().orElseThrow().getValue();
        assertEquals(303, s.post("/logout", Map.of()).statusCode());
        HttpSession replay = new HttpSession(console.url());
        java.net.HttpCookie c = new java.net.HttpCookie(Cookies.SESSION, cookie);
        c.setPath("/");
        replay.cookies.getCookieStore().add(java.net.URI.create(console.url()), c);
        assertEquals(303, replay.get("/my").statusCode(), "the old session id is dead");
    }
}
