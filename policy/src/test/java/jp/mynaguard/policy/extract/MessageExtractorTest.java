package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageExtractorTest {
    private static final String N1 = Digits.myNumber("12345678901");
    private static final String N2 = Digits.myNumber("98765432109");
    private static final String N3 = Digits.myNumber("24681357902");

    private static Mail head(String contentType) {
        return Mail.create()
                .line("From: a@example.test")
                .line("To: b@example.test")
                .line("Subject: test")
                .line("MIME-Version: 1.0")
                .line("Content-Type: " + contentType);
    }

    private static List<UnscannableReason> reasons(RecordingSink sink) {
        return sink.unscannables.stream().map(Unscannable::reason).toList();
    }

    @Test
    void quotedPrintableSoftBreakInsideTheNumber() throws IOException {
        RecordingSink sink = head("text/plain; charset=utf-8")
                .line("Content-Transfer-Encoding: quoted-printable")
                .line("")
                .line("=E5=80=8B=E4=BA=BA=E7=95=AA=E5=8F=B7: " + N1.substring(0, 5) + "=")
                .line(N1.substring(5))
                .extract();
        assertTrue(sink.textAt("body").contains("個人番号: " + N1), sink.allText());
        assertEquals(List.of(), sink.unscannables);
    }

    @ParameterizedTest
    @ValueSource(strings = {"iso-2022-jp", "ISO-2022-JP", "shift_jis", "Shift_JIS", "sjis", "euc-jp", "EUC-JP"})
    void japaneseBodiesKeepWindowsCharacters(String label) throws IOException {
        String text = "①㈱ミライ 髙橋様 個人番号：" + Digits.fullWidth(N1) + "\n";
        Charset cs = MimeCharsets.forLabel(label);
        RecordingSink sink = head("text/plain; charset=\"" + label + "\"")
                .line("Content-Transfer-Encoding: " + (label.toLowerCase().startsWith("iso") ? "7bit" : "base64"))
                .line("")
                .bytes(label.toLowerCase().startsWith("iso") ? text.replace("\n", "\r\n").getBytes(cs)
                        : (Base64.getMimeEncoder().encodeToString(text.getBytes(cs)) + "\r\n").getBytes(StandardCharsets.US_ASCII))
                .extract();
        String body = sink.textAt("body");
        assertTrue(body.contains("①㈱ミライ 髙橋様"), body);
        assertTrue(Digits.contains(sink, N1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"windows-31j", "x-eucJP-Open", "x-windows-iso2022jp", "UTF-8"})
    void undeclaredCharsetIsSniffed(String javaCharset) throws IOException {
        String text = "扶養親族の個人番号は次のとおりです。\nマイナンバー：" + N2 + "\n";
        RecordingSink sink = head("text/plain")
                .line("Content-Transfer-Encoding: 8bit")
                .line("")
                .bytes(text.getBytes(Charset.forName(javaCharset)))
                .extract();
        assertTrue(sink.textAt("body").contains("マイナンバー：" + N2), sink.allText());
    }

    @Test
    void us_asciiLabelOnShiftJisBodyIsSniffed() throws IOException {
        RecordingSink sink = head("text/plain; charset=us-ascii")
                .line("")
                .bytes(("個人番号 " + N2 + "\r\n").getBytes(MimeCharsets.WINDOWS_31J))
                .extract();
        assertTrue(sink.textAt("body").contains("個人番号 " + N2));
    }

    @Test
    void iso2022jpSubjectWithCircledDigitAndSplitEncodedWords() throws IOException {
        byte[] jis = ("①個人番号" + N1).getBytes(MimeCharsets.ISO_2022_JP);
        String w1 = Base64.getEncoder().encodeToString(jis);
        byte[] utf8 = "個人番号".getBytes(StandardCharsets.UTF_8);
        // A UTF-8 character split across two encoded-words, as some mailers write it.
        String u1 = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(utf8, 4));
        String u2 = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(utf8, 4, utf8.length));
        RecordingSink sink = Mail.create()
                .line("Subject: =?ISO-2022-JP?B?" + w1 + "?=")
                .line(" =?UTF-8?B?" + u1 + "?=")
                .line("\t=?UTF-8?B?" + u2 + "?=")
                .line("Content-Type: text/plain")
                .line("")
                .line("body")
                .extract();
        assertEquals("①個人番号" + N1 + "個人番号", sink.textAt("subject"));
    }

    @Test
    void rfc2231ContinuationFileNameSplitInsideACharacter() throws IOException {
        // 従業員名簿.csv in UTF-8, cut inside the bytes of 業
        RecordingSink sink = head("multipart/mixed; boundary=\"b1\"")
                .line("")
                .line("--b1")
                .line("Content-Type: text/plain; charset=utf-8")
                .line("")
                .line("see attachment")
                .line("--b1")
                .line("Content-Type: text/csv")
                .line("Content-Disposition: attachment;")
                .line(" filename*0*=UTF-8''%E5%BE%93%E6%A5;")
                .line(" filename*1*=%AD%E5%93%A1%E5%90%8D%E7%B0%BF.csv")
                .line("Content-Transfer-Encoding: base64")
                .line("")
                .base64("氏名,個人番号\r\n山田 太郎," + N1 + "\r\n", MimeCharsets.WINDOWS_31J)
                .line("--b1--")
                .extract();
        assertEquals(Set.of("attachment:従業員名簿.csv"), Digits.locations(sink, N1));
        assertEquals(Set.of("attachment:従業員名簿.csv:line 2"), Digits.lineLocations(sink, N1));
        assertTrue(sink.textAt("attachment:従業員名簿.csv").startsWith("従業員名簿.csv"), "file name is scanned");
        assertEquals(List.of(), sink.unscannables);
    }

    @Test
    void rawUtf8AndShiftJisHeaderBytes() throws IOException {
        RecordingSink sink = Mail.create()
                .line("Subject: 個人番号 " + N1)
                .line("Content-Type: multipart/mixed; boundary=b")
                .line("")
                .line("--b")
                .text("Content-Disposition: attachment; filename=\"")
                .bytes("名簿.txt".getBytes(MimeCharsets.WINDOWS_31J))
                .line("\"")
                .line("")
                .line(N2)
                .line("--b--")
                .extract();
        assertEquals("個人番号 " + N1, sink.textAt("subject"));
        assertEquals(Set.of("attachment:名簿.txt"), Digits.locations(sink, N2));
    }

    @Test
    void forwardedMessageAndItsAttachment() throws IOException {
        Mail inner = head("multipart/mixed; boundary=inner")
                .line("")
                .line("--inner")
                .line("Content-Type: text/plain; charset=utf-8")
                .line("")
                .line("内側の本文 " + N1)
                .line("--inner")
                .line("Content-Type: application/octet-stream; name=\"=?UTF-8?B?" 
                        + Base64.getEncoder().encodeToString("名簿.csv".getBytes(StandardCharsets.UTF_8)) + "?=\"")
                .line("Content-Transfer-Encoding: base64")
                .line("")
                .base64("氏名,個人番号\n佐藤," + N2 + "\n", StandardCharsets.UTF_8)
                .line("--inner--");
        RecordingSink sink = head("multipart/mixed; boundary=outer")
                .line("")
                .line("--outer")
                .line("Content-Type: text/plain")
                .line("")
                .line("転送します")
                .line("--outer")
                .line("Content-Type: message/rfc822")
                .line("")
                .bytes(inner.toBytes())
                .line("--outer--")
                .extract();
        assertEquals(Set.of("attachment:part-1.eml/body"), Digits.locations(sink, N1));
        assertEquals(Set.of("attachment:part-1.eml/attachment:名簿.csv"), Digits.locations(sink, N2));
        assertEquals(List.of(), sink.unscannables);
    }

    @Test
    void multipartNestedPastTheDepthLimitIsTooDeep() throws IOException {
        int levels = Limits.DEFAULT_MAX_DEPTH + 5;
        Mail m = head("multipart/mixed; boundary=b0").line("");
        for (int i = 1; i < levels; i++) {
            m.line("--b" + (i - 1)).line("Content-Type: text/plain").line("").line("level " + i + " " + N1);
            m.line("--b" + (i - 1)).line("Content-Type: multipart/mixed; boundary=b" + i).line("");
        }
        m.line("--b" + (levels - 1)).line("Content-Type: text/plain").line("").line("deepest " + N2);
        for (int i = levels - 1; i >= 0; i--) {
            m.line("--b" + i + "--");
        }
        RecordingSink sink = m.extract();
        assertEquals(List.of(UnscannableReason.TOO_DEEP), reasons(sink));
        assertTrue(sink.textAt("body").contains("level 1 " + N1));
        assertFalse(Digits.contains(sink, N2));
    }

    @Test
    void partsPastTheLimitAreTooLarge() throws IOException {
        Mail m = head("multipart/mixed; boundary=b").line("");
        for (int i = 0; i < 30; i++) {
            m.line("--b").line("Content-Type: text/plain").line("").line("part " + i);
        }
        m.line("--b--");
        RecordingSink sink = m.extract(Limits.builder().maxParts(10).build());
        assertEquals(List.of(UnscannableReason.TOO_LARGE), reasons(sink));
    }

    @Test
    void messageHeaderBlockPastTheLimitIsMalformedButScanned() throws IOException {
        RecordingSink sink = head("text/plain")
                .line("X-Padding: " + "x".repeat(3000))
                .line("")
                .line("番号 " + N1)
                .extract(Limits.builder().maxHeaderBytes(1024).build());
        assertEquals(List.of(UnscannableReason.MALFORMED), reasons(sink));
        assertEquals("message", sink.unscannables.get(0).location());
        assertTrue(Digits.contains(sink, N1));
    }

    @Test
    void partHeaderBlockPastTheLimitIsMalformedOtherPartsScanned() throws IOException {
        RecordingSink sink = head("multipart/mixed; boundary=b")
                .line("")
                .line("--b")
                .line("Content-Type: text/plain")
                .line("X-Padding: " + "x".repeat(3000))
                .line("")
                .line("hidden " + N1)
                .line("--b")
                .line("Content-Type: text/plain")
                .line("")
                .line("visible " + N2)
                .line("--b--")
                .extract(Limits.builder().maxHeaderBytes(1024).build());
        assertEquals(List.of(UnscannableReason.MALFORMED), reasons(sink));
        assertTrue(Digits.contains(sink, N2));
    }

    @Test
    void missingEndBoundaryIsMalformedReadablePartsScanned() throws IOException {
        RecordingSink sink = head("multipart/mixed; boundary=\"b\"")
                .line("")
                .line("--b")
                .line("Content-Type: text/plain")
                .line("")
                .line("first " + N1)
                .line("--b")
                .line("Content-Type: text/plain; charset=utf-8")
                .line("Content-Transfer-Encoding: base64")
                .line("")
                .base64("second " + N2, StandardCharsets.UTF_8)
                .extract();
        assertEquals(List.of(UnscannableReason.MALFORMED), reasons(sink));
        assertTrue(Digits.contains(sink, N1));
        assertTrue(Digits.contains(sink, N2));
    }

    @Test
    void missingBoundaryParameterIsMalformedButParsed() throws IOException {
        RecordingSink sink = head("multipart/mixed")
                .line("")
                .line("--guess")
                .line("Content-Type: text/plain")
                .line("")
                .line("text " + N1)
                .line("--guess--")
                .extract();
        assertTrue(reasons(sink).contains(UnscannableReason.MALFORMED));
        assertTrue(Digits.contains(sink, N1));
    }

    @Test
    void noBoundaryFoundStillScansTheContent() throws IOException {
        RecordingSink sink = head("multipart/mixed; boundary=nothere")
                .line("")
                .line("just text " + N1)
                .extract();
        assertEquals(List.of(UnscannableReason.MALFORMED), reasons(sink));
        assertTrue(Digits.contains(sink, N1));
    }

    @Test
    void unparseableContentTypeIsMalformedAndScannedAsText() throws IOException {
        RecordingSink sink = head("multipart/mixed; boundary=\"unclosed")
                .line("")
                .line("text " + N1)
                .extract();
        assertTrue(reasons(sink).contains(UnscannableReason.MALFORMED), sink.unscannables.toString());
        assertTrue(Digits.contains(sink, N1));
    }

    @Test
    void spooledMessageIsReadInPlace() throws IOException {
        Mail m = head("multipart/mixed; boundary=b").line("");
        m.line("--b").line("Content-Type: text/plain; charset=utf-8").line("").line("本文 " + N1);
        m.line("--b").line("Content-Type: text/csv; name=big.csv").line("Content-Transfer-Encoding: base64").line("");
        StringBuilder csv = new StringBuilder("氏名,個人番号\n");
        for (int i = 0; i < 3000; i++) {
            csv.append("名前").append(i).append(',').append(i == 2500 ? N3 : "0").append('\n');
        }
        m.base64(csv.toString(), MimeCharsets.WINDOWS_31J).line("--b--");
        RecordingSink sink = m.extract(Limits.builder().spoolThresholdBytes(4096).build());
        assertEquals(List.of(), sink.unscannables);
        assertEquals(Set.of("body"), Digits.locations(sink, N1));
        assertEquals(Set.of("attachment:big.csv:line 2502"), Digits.lineLocations(sink, N3));
    }

    @Test
    void htmlAlternativeBodiesAreBothBody() throws IOException {
        RecordingSink sink = head("multipart/alternative; boundary=b")
                .line("")
                .line("--b")
                .line("Content-Type: text/plain; charset=utf-8")
                .line("")
                .line("番号 " + N1)
                .line("--b")
                .line("Content-Type: text/html; charset=utf-8")
                .line("")
                .line("<p>番号 <span>" + N2.substring(0, 6) + "</span><b>" + N2.substring(6) + "</b></p>")
                .line("--b--")
                .extract();
        assertEquals(Set.of("body"), Digits.locations(sink, N1));
        assertEquals(Set.of("body"), Digits.locations(sink, N2));
        assertTrue(sink.textAt("body").contains("番号 " + N2));
    }
}
