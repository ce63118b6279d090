package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jp.mynaguard.proxy.hold.HeldItem;
import jp.mynaguard.proxy.hold.HoldKind;
import jp.mynaguard.proxy.hold.HoldState;
import jp.mynaguard.proxy.hold.HoldTestAccess;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The approval path end to end with the real SQLite hold store: the upload is kept and answered with
 * the approval page; the button is answered by the proxy; once approved, the same user sending the
 * same body to the same host within the window passes once, and only once.
 */
class ApprovalFlowTest {
    private static final Pattern REF = Pattern.compile("name=\"ref\" value=\"([A-Z0-9]{8})\"");
    private ProxyHarness h;
    private byte[] body;

    @BeforeEach
    void start() throws Exception {
        h = new ProxyHarness("approve-policy.yaml", b -> b.approvalWindow(Duration.ofMinutes(30)));
        body = CorpusCases.body("http_upload_04_json_body.http");
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    private RawHttp.Response upload(String user, byte[] content, String path) throws Exception {
        return upload(user, content, path, "application/json");
    }

    private RawHttp.Response upload(String user, byte[] content, String path, String type) throws Exception {
        String auth = Base64.getEncoder().encodeToString((user + ":" + ProxyHarness.PASSWORD).getBytes(StandardCharsets.UTF_8));
        byte[] head = ("POST " + h.originUrl(path) + " HTTP/1.1\r\nHost: x\r\nProxy-Authorization: Basic " + auth
                + "\r\nContent-Type: " + type + "\r\nContent-Length: " + content.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(head, head.length + content.length);
        System.arraycopy(content, 0, all, head.length, content.length);
        try (RawHttp c = new RawHttp(h.port())) {
            return c.send(all).read();
        }
    }

    private static String refOf(RawHttp.Response r) {
        Matcher m = REF.matcher(r.text());
        assertTrue(m.find(), "the approval page carries the reference in its form: " + r.text());
        return m.group(1);
    }

    @Test
    void approvedUploadPassesOnceForTheSameUserBodyAndHost() throws Exception {
        RawHttp.Response first = upload("tanaka", body, "/api/v1/employees");
        assertEquals(403, first.status());
        assertTrue(first.text().contains("承認を依頼する"), "the page has the request-approval button");
        CorpusCases.assertNoNumberDigits(first.text());
        String ref = refOf(first);
        HeldItem item = h.holds.find(ref).orElseThrow();
        assertEquals(HoldKind.APPROVE, item.kind());
        assertEquals("http", item.channel());
        assertEquals("tanaka@example.co.jp", item.sender());
        assertEquals(java.util.List.of("127.0.0.1"), item.recipients());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)), item.contentSha256(),
                "the hold binds the approval to the hash of the body bytes");

        // The button: a same-origin form POST answered by the proxy itself.
        String form = "ref=" + ref + "&reason=" + java.net.URLEncoder.encode("給与計算のため", StandardCharsets.UTF_8);
        RawHttp.Response asked = upload("tanaka", form.getBytes(StandardCharsets.US_ASCII), ProxyPages.APPROVAL_PATH);
        assertEquals(200, asked.status(), asked.text());
        assertTrue(h.audit.stream().anyMatch(e -> e.type().equals("approval.request") && ref.equals(e.fields().get("ref"))));
        assertEquals(404, upload("suzuki", form.getBytes(StandardCharsets.US_ASCII), ProxyPages.APPROVAL_PATH).status(),
                "only the sender may ask for their upload");

        int before = h.originBodies().size();
        assertEquals(403, upload("tanaka", body, "/api/v1/employees").status(), "not approved yet");
        assertTrue(HoldTestAccess.approve(h.holds, ref, Instant.now()));

        assertEquals(403, upload("suzuki", body, "/api/v1/employees").status(), "another user's approval does not count");
        byte[] changed = new String(body, StandardCharsets.UTF_8).replace("}", " }").getBytes(StandardCharsets.UTF_8);
        assertEquals(403, upload("tanaka", changed, "/api/v1/employees").status(), "changed content needs a new approval");

        RawHttp.Response passed = upload("tanaka", body, "/api/v1/employees");
        assertEquals(200, passed.status(), passed.text());
        assertArrayEquals(body, h.originBodies().get(h.originBodies().size() - 1));
        assertEquals(before + 1, h.originBodies().size(), "exactly the approved upload reached the origin");
        assertEquals("RELEASED", h.holds.find(ref).orElseThrow().state());
        assertTrue(h.holds.transitions(ref).stream()
                        .anyMatch(t -> t.from() == HoldState.APPROVED && t.to() == HoldState.RELEASED),
                h.holds.transitions(ref).toString());
        assertTrue(h.audit.stream().anyMatch(e -> ref.equals(e.fields().get("approval_used"))));

        assertEquals(403, upload("tanaka", body, "/api/v1/employees").status(), "an approval is used once");
    }

    @Test
    void aFormSentAgainByABrowserMatchesDespiteItsNewBoundary() throws Exception {
        byte[] roster = CorpusCases.body("http_upload_07_put_text_file.http");
        RawHttp.Response first = upload("tanaka", form("----WebKitFormBoundaryFirstTry", roster), "/upload",
                "multipart/form-data; boundary=----WebKitFormBoundaryFirstTry");
        String ref = refOf(first);
        assertTrue(HoldTestAccess.approve(h.holds, ref, Instant.now()));
        byte[] again = form("----WebKitFormBoundarySecondTry", roster);
        RawHttp.Response second = upload("tanaka", again, "/upload", "multipart/form-data; boundary=----WebKitFormBoundarySecondTry");
        assertEquals(200, second.status(), second.text());
        assertArrayEquals(again, h.originBodies().get(h.originBodies().size() - 1), "forwarded exactly as sent");
        assertEquals("RELEASED", h.holds.find(ref).orElseThrow().state());
    }

    @Test
    void aLargeFormIsHeldWholeAndMatchedToo() throws Exception {
        // 3 MB: past the 1 MB spool threshold, so the canonical copy for the store is made in memory blocks
        StringBuilder padded = new StringBuilder(new String(CorpusCases.body("http_upload_07_put_text_file.http"),
                StandardCharsets.UTF_8));
        while (padded.length() < 1_500_000) {
            padded.append("\n備考: 社内連絡用の名簿です。------WebKitFormBoundary は本文中の文字列です。");
        }
        byte[] roster = padded.toString().getBytes(StandardCharsets.UTF_8);
        byte[] first = form("----WebKitFormBoundaryLargeFirst", roster);
        RawHttp.Response held = upload("tanaka", first, "/upload", "multipart/form-data; boundary=----WebKitFormBoundaryLargeFirst");
        assertEquals(403, held.status());
        String ref = refOf(held);
        byte[] canonical = form(CanonicalBody.BOUNDARY, roster);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical)),
                h.holds.find(ref).orElseThrow().contentSha256(), "the store kept the whole canonical form");
        assertTrue(HoldTestAccess.approve(h.holds, ref, Instant.now()));
        byte[] again = form("----WebKitFormBoundaryLargeAgain", roster);
        RawHttp.Response passed = upload("tanaka", again, "/upload", "multipart/form-data; boundary=----WebKitFormBoundaryLargeAgain");
        assertEquals(200, passed.status(), passed.text());
        assertArrayEquals(again, h.originBodies().get(h.originBodies().size() - 1));
    }

    private static byte[] form(String boundary, byte[] file) {
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"memo.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(head, head.length + file.length + tail.length);
        System.arraycopy(file, 0, all, head.length, file.length);
        System.arraycopy(tail, 0, all, head.length + file.length, tail.length);
        return all;
    }

    @Test
    void anApprovalOlderThanTheWindowDoesNotCount() throws Exception {
        String ref = refOf(upload("tanaka", body, "/api/v1/employees"));
        assertTrue(HoldTestAccess.approve(h.holds, ref, Instant.now().minus(Duration.ofMinutes(31))));
        assertEquals(403, upload("tanaka", body, "/api/v1/employees").status());
        assertEquals("APPROVED", h.holds.find(ref).orElseThrow().state());
    }

    @Test
    void quarantinedAndBlockedUploadsAreNotReleasedByAnApproval() throws Exception {
        // A different host is a different destination: the approval was for 127.0.0.1 only.
        String ref = refOf(upload("tanaka", body, "/api/v1/employees"));
        assertTrue(HoldTestAccess.approve(h.holds, ref, Instant.now()));
        String other = "http://localhost:" + h.origin.getPort() + "/api/v1/employees";
        String auth = Base64.getEncoder().encodeToString(("tanaka:" + ProxyHarness.PASSWORD).getBytes(StandardCharsets.UTF_8));
        byte[] head = ("POST " + other + " HTTP/1.1\r\nHost: x\r\nProxy-Authorization: Basic " + auth
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (RawHttp c = new RawHttp(h.port())) {
            c.send(head).send(body);
            assertEquals(403, c.read().status());
        }
        assertEquals("APPROVED", h.holds.find(ref).orElseThrow().state());
    }
}
