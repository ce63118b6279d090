package jp.mynaguard.proxy.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jp.mynaguard.proxy.hold.HoldState;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API as docs/api.md describes it: tokens, session + CSRF header, shapes, errors, separation of duties. */
class ConsoleApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TWELVE_DIGITS = Pattern.compile("[0-9]{12}");

    @TempDir
    Path dir;
    TestConsole console;
    String number;

    @BeforeEach
    void start() throws Exception {
        console = new TestConsole(dir);
        number = ConsoleTestData.syntheticMyNumber(1234);
        console.workflow.add(ConsoleTestData.approval("API1AAAA", TestConsole.START.minusSeconds(60), "名簿 " + number,
                number));
    }

    @AfterEach
    void stop() {
        console.close();
    }

    private HttpResponse<String> api(String method, String path, String user, String body) throws Exception {
        return new HttpSession(console.url()).api(method, path, user == null ? null : console.tokens.get(user), body);
    }

    @Test
    void withoutOrWithAWrongTokenItIs401() throws Exception {
        HttpResponse<String> none = api("GET", "/api/v1/me", null, null);
        assertEquals(401, none.statusCode());
        assertEquals("unauthorized", JSON.readTree(none.body()).get("error").asText());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
        HttpResponse<String> wrong = new HttpSession(console.url()).api("GET", "/api/v1/me", "mgt_abc_def", null);
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
    }

    @Test
    void meItemsAndDetailAreMaskedJson() throws Exception {
        JsonNode me = JSON.readTree(api("GET", "/api/v1/me", "suzuki", null).body());
        assertEquals("suzuki", me.get("login").asText());
        assertEquals("[\"sender\",\"approver\"]", me.get("roles").toString());

        HttpResponse<String> awaiting = api("GET", "/api/v1/items/awaiting", "suzuki", null);
        JsonNode items = JSON.readTree(awaiting.body()).get("items");
        assertEquals(1, items.size());
        assertEquals("API1AAAA", items.get(0).get("referenceId").asText());
        assertEquals("HELD", items.get(0).get("state").asText());
        assertEquals("APPROVE", items.get(0).get("kind").asText());

        HttpResponse<String> detail = api("GET", "/api/v1/items/API1AAAA", "suzuki", null);
        assertFalse(TWELVE_DIGITS.matcher(detail.body()).find(), "no number anywhere in the JSON");
        JsonNode d = JSON.readTree(detail.body());
        assertEquals("名簿 ************", d.get("subject").asText());
        assertEquals("****-****-****", d.get("findings").get(0).get("masked").asText());
        assertEquals("[\"partner@example.com\"]", d.get("externalRecipients").toString());
        assertTrue(d.get("mayDecide").asBoolean());
        assertEquals("hold", d.get("history").get(0).get("action").asText());
    }

    @Test
    void approveWithACommentAndAConflictOnTheSecondDecision() throws Exception {
        HttpResponse<String> r = api("POST", "/api/v1/items/API1AAAA/approve", "suzuki", "{\"comment\":\"問題なし\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("APPROVED", JSON.readTree(r.body()).get("item").get("state").asText());
        assertEquals("問題なし", console.workflow.history("API1AAAA").get(1).comment());
        HttpResponse<String> again = api("POST", "/api/v1/items/API1AAAA/reject", "suzuki", "{}");
        assertEquals(409, again.statusCode());
        assertEquals("conflict", JSON.readTree(again.body()).get("error").asText());
    }

    @Test
    void anApproverWhoIsARecipientMayNotDecideAndBackupsOnlyAfterEscalation() throws Exception {
        JsonNode asSato = JSON.readTree(api("GET", "/api/v1/items/API1AAAA", "sato", null).body());
        assertFalse(asSato.get("mayDecide").asBoolean(), "sato is named as approver but is also a recipient");
        assertEquals(403, api("POST", "/api/v1/items/API1AAAA/approve", "sato", "{}").statusCode());
        assertEquals(0, JSON.readTree(api("GET", "/api/v1/items/awaiting", "sato", null).body()).get("items").size());

        assertEquals(404, api("POST", "/api/v1/items/API1AAAA/approve", "yamada", "{}").statusCode(),
                "the backup does not know the item yet");
        console.workflow.escalate("API1AAAA");
        assertEquals(1, JSON.readTree(api("GET", "/api/v1/items/awaiting", "yamada", null).body()).get("items").size());
        assertEquals(200, api("POST", "/api/v1/items/API1AAAA/reject", "yamada", "{\"comment\":\"代理で却下\"}").statusCode());
        assertEquals(HoldState.REJECTED, console.workflow.state("API1AAAA"));
        assertEquals(403, api("POST", "/api/v1/items/API1AAAA/approve", "tanaka", "{}").statusCode(),
                "the sender never approves their own message");
    }

    @Test
    void revealReturnsTheContentAndIsRecorded() throws Exception {
        HttpResponse<String> r = api("POST", "/api/v1/items/API1AAAA/reveal", "admin", "");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode j = JSON.readTree(r.body());
        String all = j.get("parts").toString();
        assertTrue(all.contains(ConsoleTestData.BODY_MARKER));
        assertTrue(all.contains(number), "reveal is the one place the number is shown");
        assertEquals("subject", j.get("parts").get(0).get("location").asText());
        assertTrue(console.workflow.history("API1AAAA").stream()
                .anyMatch(t -> t.action().equals("reveal") && t.actor().equals("admin")));
        assertEquals(403, api("POST", "/api/v1/items/API1AAAA/reveal", "suzuki", "").statusCode());
    }

    @Test
    void malformedBodiesAndLongCommentsAre400() throws Exception {
        assertEquals(400, api("POST", "/api/v1/items/API1AAAA/approve", "suzuki", "[1,2]").statusCode());
        assertEquals(400, api("POST", "/api/v1/items/API1AAAA/approve", "suzuki", "{\"comment\":5}").statusCode());
        assertEquals(400, api("POST", "/api/v1/items/API1AAAA/approve", "suzuki", "{\"comment\":").statusCode());
        String longComment = "あ".repeat(ConsoleLimits.MAX_COMMENT_CHARS + 1);
        assertEquals(400, api("POST", "/api/v1/items/API1AAAA/approve", "suzuki", "{\"comment\":\"" + longComment + "\"}")
                .statusCode());
        assertEquals(200, api("POST", "/api/v1/items/API1AAAA/approve", "suzuki", "{\"comment\":\""
                + "あ".repeat(ConsoleLimits.MAX_COMMENT_CHARS) + "\"}").statusCode(), "exactly the limit is fine");
        assertEquals(405, api("GET", "/api/v1/items/API1AAAA/approve", "suzuki", null).statusCode());
        assertEquals(404, api("GET", "/api/v1/nothing", "suzuki", null).statusCode());
        assertEquals(404, api("GET", "/api/v1/items/..%2F..%2Fetc", "admin", null).statusCode());
    }

    @Test
    void theSessionCookieWorksForTheApiButPostsNeedTheCsrfHeader() throws Exception {
        HttpSession s = new HttpSession(console.url());
        s.login("suzuki", TestConsole.PASSWORD, console.code("suzuki"));
        assertEquals(200, s.api("GET", "/api/v1/items/awaiting", null, null).statusCode());
        HttpResponse<String> noHeader = s.api("POST", "/api/v1/items/API1AAAA/approve", null, "{}");
        assertEquals(403, noHeader.statusCode());
        assertEquals("csrf", JSON.readTree(noHeader.body()).get("error").asText());
        HttpResponse<String> withHeader = s.client.send(HttpRequest.newBuilder(URI.create(console.url()
                        + "/api/v1/items/API1AAAA/approve")).header("X-CSRF-Token", s.csrf)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, withHeader.statusCode(), withHeader.body());
    }

    @Test
    void searchFiltersByStateDateSenderAndRule() throws Exception {
        console.workflow.add(ConsoleTestData.ofKind("OLD1AAAA", jp.mynaguard.proxy.hold.HoldKind.QUARANTINE,
                ConsoleTestData.SATO, TestConsole.START.minus(java.time.Duration.ofDays(10))));
        assertEquals(200, api("POST", "/api/v1/items/OLD1AAAA/reject", "admin", "{}").statusCode());
        assertEquals(2, count("/api/v1/items"));
        assertEquals(1, count("/api/v1/items?state=HELD"));
        assertEquals("OLD1AAAA", JSON.readTree(api("GET", "/api/v1/items?state=REJECTED", "audit", null).body())
                .get("items").get(0).get("referenceId").asText());
        assertEquals(1, count("/api/v1/items?sender=sato"));
        assertEquals(1, count("/api/v1/items?rule=quarantine-roster"));
        assertEquals(1, count("/api/v1/items?from=2026-03-01"));
        assertEquals(1, count("/api/v1/items?to=2026-02-25"));
        assertEquals(400, api("GET", "/api/v1/items?from=yesterday", "admin", null).statusCode());
        assertEquals(400, api("GET", "/api/v1/items?state=GONE", "admin", null).statusCode());
    }

    private int count(String path) throws Exception {
        HttpResponse<String> r = api("GET", path, "audit", null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("items").size();
    }
}
