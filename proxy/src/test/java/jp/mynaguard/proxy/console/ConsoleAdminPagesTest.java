package jp.mynaguard.proxy.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jp.mynaguard.proxy.hold.HoldKind;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin's pages, the reveal page, and the 403 page, in Japanese with English alongside. */
class ConsoleAdminPagesTest {
    @TempDir
    Path dir;
    TestConsole console;
    String number;
    HttpSession admin;

    @BeforeEach
    void start() throws Exception {
        console = new TestConsole(dir);
        number = ConsoleTestData.syntheticMyNumber(99);
        console.workflow.add(ConsoleTestData.approval("ADM1AAAA", TestConsole.START.minusSeconds(3600), "月次 名簿", number));
        console.workflow.add(ConsoleTestData.ofKind("QUA1BBBB", HoldKind.QUARANTINE, ConsoleTestData.SATO,
                TestConsole.START.minusSeconds(60)));
        admin = new HttpSession(console.url());
        assertEquals(303, admin.login("admin", TestConsole.PASSWORD, console.code("admin")).statusCode());
    }

    @AfterEach
    void stop() {
        console.close();
    }

    @Test
    void searchShowsAllItemsAndFilters() throws Exception {
        String all = admin.get("/admin").body();
        assertTrue(all.contains("保留メールの検索") && all.contains("ADM1AAAA") && all.contains("QUA1BBBB"));
        assertTrue(all.contains("隔離（管理者の確認）"));
        String bySender = admin.get("/admin?sender=sato").body();
        assertTrue(bySender.contains("QUA1BBBB") && !bySender.contains("ADM1AAAA"));
        assertTrue(bySender.contains("value=\"sato\""), "the form keeps what was typed");
        String byRule = admin.get("/admin?rule=external-my-number&state=HELD&from=2026-03-01&to=2026-03-02").body();
        assertTrue(byRule.contains("ADM1AAAA") && !byRule.contains("QUA1BBBB"));
        HttpResponse<String> bad = admin.get("/admin?from=03/01/2026");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("YYYY-MM-DD"));
    }

    @Test
    void policyStatusShowsTheActiveVersionAndTheLastErrorWithItsPosition() throws Exception {
        String ok = admin.get("/admin/policy").body();
        assertTrue(ok.contains("abc123def456") && ok.contains("最後の読み込みは成功しました"));
        console.policy.status = new PolicyStatus("abc123def456", "test policy", TestConsole.START, List.of("policy.yaml"),
                "fff000aaa111", List.of("policy.yaml:12:7: unknown key 'actoin' (did you mean 'action'?)"));
        String rejected = admin.get("/admin/policy").body();
        assertTrue(rejected.contains("policy.yaml:12:7: unknown key &#39;actoin&#39;"), rejected);
        assertTrue(rejected.contains("fff000aaa111"));
        assertEquals(303, admin.post("/admin/policy/reload", Map.of()).statusCode());
        assertEquals(1, console.policy.reloads);
        assertTrue(admin.get("/admin/policy?done=reloaded").body().contains("再読み込みしました"));
    }

    @Test
    void usersPageShowsRolesButNoSecrets() throws Exception {
        String page = admin.get("/admin/users").body();
        String file = Files.readString(console.usersFile);
        assertTrue(page.contains("suzuki@example.co.jp") && page.contains("承認者") && page.contains("内容表示"));
        for (String secret : console.totp.values()) {
            assertFalse(page.contains(secret));
        }
        for (String line : file.split("\n")) {
            if (!line.startsWith("#")) {
                assertFalse(page.contains(line.split(" ")[1]), "no password hash");
            }
        }
    }

    @Test
    void auditListsEveryItemsHistoryNewestFirst() throws Exception {
        HttpSession approver = new HttpSession(console.url());
        approver.login("suzuki", TestConsole.PASSWORD, console.code("suzuki"));
        console.clock.advance(java.time.Duration.ofMinutes(5));
        approver.post("/items/ADM1AAAA/reject", Map.of("comment", "社外秘です"));
        String audit = admin.get("/admin/audit").body();
        int reject = audit.indexOf("社外秘です");
        int hold = audit.indexOf("external-my-number");
        assertTrue(reject > 0 && hold > reject, "the rejection first, then the older hold");
        assertTrue(audit.contains("suzuki"));
    }

    @Test
    void revealShowsTheDecodedContentAndRecordsIt() throws Exception {
        assertTrue(admin.get("/items/ADM1AAAA").body().contains("id=\"reveal\""));
        HttpResponse<String> r = admin.post("/items/ADM1AAAA/reveal", Map.of());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains(ConsoleTestData.BODY_MARKER));
        assertTrue(r.body().contains(number), "the number is shown here, and only here");
        assertTrue(r.body().contains("記録されました"));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElseThrow());
        assertTrue(console.workflow.history("ADM1AAAA").stream().anyMatch(t -> t.action().equals("reveal")));
        assertTrue(admin.get("/items/ADM1AAAA").body().contains("内容表示"), "the reveal is in the item's history");
    }

    @Test
    void outsideTheRoleIsAClear403InJapaneseWithEnglish() throws Exception {
        HttpSession sender = new HttpSession(console.url());
        sender.login("tanaka", TestConsole.PASSWORD, null);
        HttpResponse<String> r = sender.get("/admin");
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("権限がありません"));
        assertTrue(r.body().contains("Not allowed"), "the English text alongside");
        HttpResponse<String> en = sender.get("/admin/users?lang=en");
        assertEquals(403, en.statusCode());
        assertTrue(en.body().contains("403 Not allowed") && en.body().contains("権限がありません"));
        HttpResponse<String> reveal = sender.post("/items/ADM1AAAA/reveal", Map.of());
        assertEquals(403, reveal.statusCode());
        assertFalse(reveal.body().contains(ConsoleTestData.BODY_MARKER));
        assertEquals(404, sender.get("/items/QUA1BBBB").statusCode(), "another's item does not exist for a sender");
    }
}
