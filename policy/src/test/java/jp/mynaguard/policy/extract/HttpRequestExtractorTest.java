package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

class HttpRequestExtractorTest {
    private static final String N1 = Digits.myNumber("31415926535");
    private static final String N2 = Digits.myNumber("27182818284");

    private static RecordingSink extract(byte[] request, Limits limits) throws IOException {
        RecordingSink sink = new RecordingSink();
        new ContentExtractor(limits).extract(Format.HTTP_REQUEST, "", null, new ByteArrayInputStream(request), sink);
        return sink;
    }

    private static RecordingSink extract(byte[] request) throws IOException {
        return extract(request, Limits.defaults());
    }

    private static byte[] request(String head, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<UnscannableReason> reasons(RecordingSink sink) {
        return sink.unscannables.stream().map(Unscannable::reason).toList();
    }

    @Test
    void chunkedBodyWithTheNumberSplitAcrossChunks() throws IOException {
        byte[] a = utf8("個人番号: " + N1.substring(0, 7));
        byte[] b = utf8(N1.substring(7) + "\n");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(utf8(Integer.toHexString(a.length) + ";ext=1\r\n"));
        body.writeBytes(a);
        body.writeBytes(utf8("\r\n" + Integer.toHexString(b.length).toUpperCase() + "\r\n"));
        body.writeBytes(b);
        body.writeBytes(utf8("\r\n0\r\nX-Trailer: t\r\n\r\n"));
        RecordingSink sink = extract(request("POST /up HTTP/1.1\nHost: h\nContent-Type: text/plain; charset=utf-8\n"
                + "Transfer-Encoding: chunked\n", body.toByteArray()));
        assertEquals(List.of(), sink.unscannables);
        assertTrue(sink.textAt("body").contains("個人番号: " + N1));
        assertEquals(Set.of("body:line 1"), Digits.lineLocations(sink, N1));
    }

    @Test
    void malformedChunkSizeIsMalformedAndTheDataBeforeItScanned() throws IOException {
        byte[] a = utf8("first " + N1 + "\n");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(utf8(Integer.toHexString(a.length) + "\r\n"));
        body.writeBytes(a);
        body.writeBytes(utf8("\r\nzz\r\nsecond\r\n0\r\n\r\n"));
        RecordingSink sink = extract(request("POST /up HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n",
                body.toByteArray()));
        assertEquals(List.of(UnscannableReason.MALFORMED), reasons(sink));
        assertEquals("body", sink.unscannables.get(0).location());
        assertTrue(Digits.contains(sink, N1));
    }

    @Test
    void bareLfChunkDelimiterIsMalformed() throws IOException {
        RecordingSink sink = extract(request("POST /up HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n",
                utf8("5\nhello\r\n0\r\n\r\n")));
        assertEquals(List.of(UnscannableReason.MALFORMED), reasons(sink));
    }

    @Test
    void gzipBombInContentEncodingStopsAtTheRatio() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            byte[] zeros = new byte[64 * 1024];
            for (int i = 0; i < 160; i++) { // 10 MiB of zeros
                out.write(zeros);
            }
        }
        Limits limits = Limits.builder().ratioGraceBytes(64 * 1024).maxCompressionRatio(100).build();
        RecordingSink sink = extract(request("POST /api HTTP/1.1\nHost: h\nContent-Type: application/json\n"
                + "Content-Encoding: gzip\nContent-Length: " + gz.size() + "\n", gz.toByteArray()), limits);
        assertEquals(List.of(UnscannableReason.COMPRESSION_RATIO), reasons(sink));
        assertEquals("body", sink.unscannables.get(0).location());
    }

    @Test
    void deflateBodiesZlibAndRaw() throws IOException {
        for (boolean raw : new boolean[] {false, true}) {
            ByteArrayOutputStream z = new ByteArrayOutputStream();
            try (DeflaterOutputStream out = new DeflaterOutputStream(z, new java.util.zip.Deflater(6, raw))) {
                out.write(utf8("{\"myNumber\": " + N1 + "}"));
            }
            RecordingSink sink = extract(request("POST /api HTTP/1.1\nHost: h\nContent-Type: application/json\n"
                    + "Content-Encoding: deflate\nContent-Length: " + z.size() + "\n", z.toByteArray()));
            assertEquals(List.of(), sink.unscannables);
            assertTrue(sink.textAt("body").contains("myNumber: " + N1), sink.allText());
        }
    }

    @Test
    void unsupportedContentEncodingIsReported() throws IOException {
        RecordingSink sink = extract(request("POST /api HTTP/1.1\nHost: h\nContent-Encoding: br\nContent-Length: 4\n",
                utf8("abcd")));
        assertEquals(List.of(UnscannableReason.MALFORMED), reasons(sink), sink.unscannables.toString());
    }

    @Test
    void urlEncodedShiftJisForm() throws IOException {
        String body = "shimei=" + URLEncoder.encode("山田 太郎", MimeCharsets.WINDOWS_31J)
                + "&" + URLEncoder.encode("個人番号", MimeCharsets.WINDOWS_31J) + "=" + N1
                + "&memo=" + URLEncoder.encode("①よろしく", MimeCharsets.WINDOWS_31J);
        RecordingSink sink = extract(request("POST /form HTTP/1.1\nHost: h\n"
                + "Content-Type: application/x-www-form-urlencoded\nContent-Length: " + body.length() + "\n",
                body.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(List.of(), sink.unscannables);
        String text = sink.textAt("form");
        assertTrue(text.contains("shimei: 山田 太郎\n個人番号: " + N1 + "\nmemo: ①よろしく"), text);
        assertEquals(Set.of("form:個人番号"), Digits.lineLocations(sink, N1));
    }

    @Test
    void queryStringIsScannedAsUrl() throws IOException {
        RecordingSink sink = extract(request("GET http://h.example.test/emp/" + N2 + "?q="
                + URLEncoder.encode("マイナンバー " + N1, StandardCharsets.UTF_8) + " HTTP/1.1\nHost: h\n", new byte[0]));
        assertEquals(Set.of("url"), Digits.locations(sink, N1));
        assertEquals(Set.of("url"), Digits.locations(sink, N2));
        assertTrue(sink.textAt("url").contains("q: マイナンバー " + N1));
    }

    @Test
    void multipartFormWithRawUtf8FileNameAndFields() throws IOException {
        String body = "--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"my_number\"\r\n\r\n"
                + N1 + "\r\n"
                + "--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"社員名簿.tsv\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
                + "氏名\t個人番号\r\n山田\t" + N2 + "\r\n"
                + "\r\n--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
                + "\r\n--XyZ--\r\n";
        byte[] b = utf8(body);
        RecordingSink sink = extract(request("POST /up HTTP/1.1\nHost: h\nContent-Type: multipart/form-data; boundary=XyZ\n"
                + "Content-Length: " + b.length + "\n", b));
        assertEquals(List.of(), sink.unscannables);
        assertEquals(Set.of("form:my_number"), Digits.locations(sink, N1));
        assertTrue(sink.textAt("form:my_number").startsWith("my_number: "));
        assertEquals(Set.of("file:社員名簿.tsv:line 2"), Digits.lineLocations(sink, N2));
        assertTrue(sink.segments.stream().anyMatch(s -> s.table() != null && s.table().delimiter() == '\t'));
    }

    @Test
    void spooledMultipartWithWindowsPathFileName() throws IOException {
        StringBuilder csv = new StringBuilder("氏名,個人番号\r\n");
        for (int i = 0; i < 2000; i++) {
            csv.append("名前").append(i).append(',').append(i == 1500 ? N1 : "-").append("\r\n");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(utf8("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"C:\\fakepath\\名簿.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n"));
        body.writeBytes(csv.toString().getBytes(MimeCharsets.WINDOWS_31J));
        body.writeBytes(utf8("\r\n--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n" + N2 + "\r\n--b--\r\n"));
        RecordingSink sink = extract(request("POST /up HTTP/1.1\nHost: h\nContent-Type: multipart/form-data; boundary=b\n"
                + "Content-Length: " + body.size() + "\n", body.toByteArray()),
                Limits.builder().spoolThresholdBytes(4096).build());
        assertEquals(List.of(), sink.unscannables);
        assertEquals(Set.of("file:名簿.csv:line 1502"), Digits.lineLocations(sink, N1));
        assertEquals(Set.of("form:note"), Digits.locations(sink, N2));
    }

    @Test
    void oversizedRequestHeadIsMalformed() throws IOException {
        RecordingSink sink = extract(request("POST /up HTTP/1.1\nHost: h\nX-Big: " + "a".repeat(2000) + "\n",
                utf8(N1)), Limits.builder().maxHeaderBytes(512).build());
        assertEquals(List.of(new Unscannable("request", UnscannableReason.MALFORMED,
                "request header block larger than 512 bytes")), sink.unscannables);
        assertFalse(Digits.contains(sink, N1));
    }

    @Test
    void shortBodyAgainstContentLengthIsMalformedButScanned() throws IOException {
        RecordingSink sink = extract(request("PUT /files/a.txt HTTP/1.1\nHost: h\nContent-Length: 500\n",
                utf8("番号 " + N1 + "\n")));
        assertEquals(List.of(UnscannableReason.MALFORMED), reasons(sink));
        assertEquals(Set.of("body:line 1"), Digits.lineLocations(sink, N1));
    }
}
