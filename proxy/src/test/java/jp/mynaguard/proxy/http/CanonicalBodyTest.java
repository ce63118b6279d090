package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jp.mynaguard.policy.extract.InputSource;
import org.junit.jupiter.api.Test;

/**
 * The approval key of a body: the bytes as sent, a form's random boundary made constant; and the
 * copy the hold store keeps, made without a plaintext file while memory allows.
 */
class CanonicalBodyTest {
    private static String form(String boundary, String content) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.csv\"\r\n\r\n" + content
                + "\r\n--" + boundary + "--\r\n";
    }

    private static String replaced(String in, String from, String to, int readSize) throws Exception {
        InputStream r = new CanonicalBody.Replacing(new ByteArrayInputStream(in.getBytes(StandardCharsets.ISO_8859_1)),
                from.getBytes(StandardCharsets.ISO_8859_1), to.getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[readSize];
        int n;
        while ((n = r.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void replacementIsExactForAnyReadSizeAndOverlappingPrefixes() throws Exception {
        for (int size : new int[] {1, 2, 3, 7, 4096}) {
            assertEquals("xXXy", replaced("xaaby", "aab", "XX", size));
            assertEquals("aaXXa", replaced("aaaaba", "aab", "XX", size), "a failed partial match gives its bytes back");
            assertEquals("ab", replaced("ab", "aab", "XX", size), "a partial match at the end is kept");
            assertEquals("XXXX", replaced("aabaab", "aab", "XX", size));
            assertEquals("", replaced("", "aab", "XX", size));
        }
    }

    @Test
    void formsThatDifferOnlyInTheirBoundaryHaveOneKey() throws Exception {
        String a = form("----WebKitFormBoundaryAAAA", "1,2,3");
        String b = form("------------------------d74496d66958873e", "1,2,3");
        String c = form("----WebKitFormBoundaryAAAA", "1,2,4");
        String ka = CanonicalBody.sha256(new ByteArrayInputStream(a.getBytes(StandardCharsets.US_ASCII)),
                "multipart/form-data; boundary=----WebKitFormBoundaryAAAA");
        String kb = CanonicalBody.sha256(new ByteArrayInputStream(b.getBytes(StandardCharsets.US_ASCII)),
                "multipart/form-data; boundary=\"------------------------d74496d66958873e\"");
        String kc = CanonicalBody.sha256(new ByteArrayInputStream(c.getBytes(StandardCharsets.US_ASCII)),
                "multipart/form-data; boundary=----WebKitFormBoundaryAAAA");
        assertEquals(ka, kb);
        assertNotEquals(ka, kc, "any change to the content needs a new approval");
    }

    @Test
    void otherBodiesAreKeptAsTheyAre() throws Exception {
        byte[] json = "{\"a\":\"--B\"}".getBytes(StandardCharsets.US_ASCII);
        assertEquals(new String(json, StandardCharsets.US_ASCII), new String(CanonicalBody.of(new ByteArrayInputStream(json),
                "application/json; boundary=B").readAllBytes(), StandardCharsets.US_ASCII));
    }

    private static final String FORM_TYPE = "multipart/form-data; boundary=----WebKitFormBoundaryAAAA";

    private static byte[] bigForm() {
        StringBuilder rows = new StringBuilder();
        while (rows.length() < 3_000_000) {
            rows.append("社員,部署,内線 ----WebKitFormBoundaryAAA\r\n"); // almost the boundary: not replaced
        }
        return form("----WebKitFormBoundaryAAAA", rows.toString()).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] canonical(byte[] body, String type) throws Exception {
        return CanonicalBody.of(new ByteArrayInputStream(body), type).readAllBytes();
    }

    /** Copies {@link #bigForm} for the hold store under a budget of {@code budget} bytes; checks the bytes. */
    private static void holdBigForm(long budget, boolean inMemory) throws Exception {
        byte[] body = bigForm();
        try (BodyMemory memory = new BodyMemory(16 << 20, budget);
             InputSource source = InputSource.ofBuffers(List.of(ByteBuffer.wrap(body)))) {
            try (CanonicalBody.Copy copy = CanonicalBody.forHold(source, FORM_TYPE, memory)) {
                assertEquals(inMemory, copy.inMemoryBlocks());
                if (inMemory) {
                    assertTrue(memory.used() >= body.length - 1000, "charged to the budget");
                } else {
                    assertEquals(0, memory.used(), "the partial copy's blocks went back");
                }
                try (InputStream in = copy.source().openStream()) {
                    assertArrayEquals(canonical(body, FORM_TYPE), in.readAllBytes());
                }
            }
            assertEquals(0, memory.used(), "given back");
        }
    }

    @Test
    void aHeldFormIsCopiedIntoMemoryBlocksNotAFile() throws Exception {
        holdBigForm(64 << 20, true);
    }

    @Test
    void aFormTheBudgetCannotTakeFallsBackToATemporaryFileWithTheSameBytes() throws Exception {
        holdBigForm(1 << 20, false);
    }

    @Test
    void aBodyThatIsAlreadyCanonicalIsHeldFromWhereItIs() throws Exception {
        byte[] body = bigForm();
        try (BodyMemory memory = new BodyMemory(16 << 20, 64 << 20);
             InputSource source = InputSource.ofBuffers(List.of(ByteBuffer.wrap(body)))) {
            for (String type : new String[] {"text/csv", "application/octet-stream", null,
                    "multipart/form-data; boundary=" + CanonicalBody.BOUNDARY}) {
                try (CanonicalBody.Copy copy = CanonicalBody.forHold(source, type, memory)) {
                    assertSame(source, copy.source(), String.valueOf(type));
                    assertEquals(0, memory.used());
                }
            }
        }
    }
}
