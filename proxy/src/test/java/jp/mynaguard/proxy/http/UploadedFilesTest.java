package jp.mynaguard.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jp.mynaguard.policy.rules.Envelope;

import org.junit.jupiter.api.Test;

/** The files of an upload as the policy's attachment conditions see them. */
class UploadedFilesTest {
    private static List<Envelope.Attachment> list(String type, String path, String body) throws Exception {
        return UploadedFiles.list(type, null, path, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void fileParts() throws Exception {
        String body = "--B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                + "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"名簿.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + "a,b\r\n"
                + "--B\r\nContent-Disposition: form-data; name=\"g\"; filename*=UTF-8''%E7%B5%A6%E4%B8%8E.xlsx\r\n\r\nxx\r\n--B--\r\n";
        List<Envelope.Attachment> files = list("multipart/form-data; boundary=B", "/upload", body);
        assertEquals(2, files.size());
        assertEquals("名簿.csv", files.get(0).name());
        assertEquals("text/csv", files.get(0).contentType());
        assertEquals("給与.xlsx", files.get(1).name());
    }

    @Test
    void rawBodiesAreTheFileThePathNames() throws Exception {
        assertEquals("memo.txt", list("text/plain", "/files/memo.txt", "x").get(0).name());
        assertEquals("a%zz.txt", list("text/plain", "/files/a%zz.txt", "x").get(0).name(), "malformed escape kept");
        assertEquals(0, list("application/json", "/api/v1/employees", "{}").size());
        assertEquals(0, list("application/x-www-form-urlencoded", "/form.php", "a=b").size());
    }

    @Test
    void listingStopsAtTheLimit() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < HttpProxyLimits.MAX_LISTED_FILES + 5; i++) {
            b.append("--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f").append(i).append(".txt\"\r\n\r\nx\r\n");
        }
        b.append("--B--\r\n");
        assertEquals(HttpProxyLimits.MAX_LISTED_FILES, list("multipart/form-data; boundary=B", "/", b.toString()).size());
    }
}
