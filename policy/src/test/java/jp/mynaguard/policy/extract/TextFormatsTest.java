package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.mynaguard.policy.detect.TextSegment;

class TextFormatsTest {
    private static final String N1 = Digits.myNumber("11122233344");
    private static final String N2 = Digits.myNumber("55566677788");

    private static RecordingSink file(String name, byte[] content) {
        return file(name, content, Limits.defaults());
    }

    private static RecordingSink file(String name, byte[] content, Limits limits) {
        RecordingSink sink = new RecordingSink();
        new ContentExtractor(limits).extract(null, name, name, InputSource.of(content), sink);
        return sink;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jsonNumberValueIsKeptExactly() {
        RecordingSink sink = file("a.json", utf8("{\"emp\": [{\"myNumber\": " + N1 + ", \"ratio\": 1.50e3},"
                + " {\"id\": 12345678901234567890123}], \"" + N2 + "\": \"山田\"}"));
        String text = sink.allText();
        assertTrue(text.contains("myNumber: " + N1 + "\n"), text);
        assertTrue(text.contains("ratio: 1.50e3\n"), text);
        assertTrue(text.contains("id: 12345678901234567890123\n"), text);
        assertTrue(text.contains(N2 + "\nemp: 山田") || text.contains(N2 + "\n" + N2 + ": 山田"), text);
        assertEquals(List.of(), sink.unscannables);
    }

    @Test
    void truncatedJsonIsMalformedButItsStartScanned() {
        RecordingSink sink = file("a.json", utf8("{\"a\": \"" + N1 + "\", \"b\": [1, 2"));
        assertTrue(Digits.contains(sink, N1));
        assertEquals(UnscannableReason.MALFORMED, sink.unscannables.get(0).reason());
    }

    @Test
    void jsonNestedTooDeep() {
        String deep = "[".repeat(200) + "\"" + N1 + "\"" + "]".repeat(200);
        RecordingSink sink = file("a.json", utf8("{\"x\": \"" + N2 + "\", \"y\": " + deep + "}"));
        assertTrue(Digits.contains(sink, N2));
        assertEquals(UnscannableReason.TOO_DEEP, sink.unscannables.get(0).reason());
    }

    @Test
    void xmlExternalEntityIsNotResolved(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "SECRET-" + N2);
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<r><a>" + N1 + "</a><b>&xxe;</b></r>";
        RecordingSink sink = file("a.xml", utf8(xml));
        assertFalse(sink.allText().contains("SECRET"), sink.allText());
        assertTrue(Digits.contains(sink, N1));
        assertEquals(UnscannableReason.MALFORMED, sink.unscannables.get(0).reason());
    }

    @Test
    void xmlElementsAndAttributesAsLines() {
        String xml = "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<社員 番号=\"" + N2 + "\">①<氏名>髙橋</氏名>"
                + "<個人番号><![CDATA[" + N1 + "]]></個人番号><!-- " + N2 + " --></社員>";
        RecordingSink sink = file("a.xml", xml.getBytes(MimeCharsets.WINDOWS_31J));
        String text = sink.allText();
        assertTrue(text.contains("番号: " + N2 + "\n社員: ①\n氏名: 髙橋\n個人番号: " + N1 + "\ncomment: " + N2), text);
        assertEquals(List.of(), sink.unscannables);
    }

    @Test
    void htmlSpansJoinCellsTabAttributesScannedScriptSkipped() {
        String html = "<html><head><title>名簿</title><script>var x = '" + N2 + "';</script></head><body>"
                + "<p>個人番号：<span>" + N1.substring(0, 4) + "</span><span style='x'>" + N1.substring(4, 8)
                + "</span><font>" + N1.substring(8) + "</font></p>"
                + "<div>a<br>b&nbsp;c &#x31;&#50;</div>"
                + "<table><tr><th>氏名</th><th>個人番号</th></tr>"
                + "<tr><td>山田 <b>太郎</b></td><td><p>" + N1 + "</p></td></tr></table>"
                + "<img alt='" + N2 + "'><input type=hidden value='v-" + N2 + "'></body></html>";
        RecordingSink sink = file("a.html", utf8(html));
        List<TextSegment> segs = sink.segments;
        String running = segs.get(0).text().toString();
        assertTrue(running.contains("名簿\n個人番号：" + N1 + "\na\nb c 12\n"), running);
        TextSegment table = segs.stream().filter(s -> s.table() != null).findFirst().orElseThrow();
        assertEquals('\t', table.table().delimiter());
        assertEquals("氏名\t個人番号\n山田 太郎\t" + N1 + "\n", table.text().toString());
        String all = sink.allText();
        assertTrue(all.contains("alt: " + N2) && all.contains("value: v-" + N2), all);
        assertFalse(all.contains("var x"), all);
    }

    @Test
    void shiftJisCsvIsATableWithLineLocations() {
        String csv = "\"氏名\",\"個人番号\"\r\n\"①山田\",\"" + N1.substring(0, 4) + "-" + N1.substring(4, 8) + "-"
                + N1.substring(8) + "\"\r\n";
        RecordingSink sink = file("名簿.csv", csv.getBytes(MimeCharsets.WINDOWS_31J));
        TextSegment s = sink.segments.get(0);
        assertEquals(new TextSegment.Table("t1", ',', null, true), s.table());
        assertTrue(s.text().toString().startsWith("\"氏名\",\"個人番号\"\r\n\"①山田\""));
        assertEquals(Set.of("名簿.csv:line 2"), Digits.lineLocations(sink, N1));
    }

    @Test
    void utf8BomTsvIsATableWithoutTheBom() {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        byte[] body = utf8("氏名\t個人番号\n山田\t" + N1 + "\n");
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, 3);
        System.arraycopy(body, 0, all, 3, body.length);
        RecordingSink sink = file("a.tsv", all);
        assertEquals('\t', sink.segments.get(0).table().delimiter());
        assertTrue(sink.segments.get(0).text().toString().startsWith("氏名\t"));
    }

    @Test
    void textFileLocatorsAreOneBasedLines() {
        RecordingSink sink = file("memo.txt", "一行目\n二行目\n番号 ".concat(N1).getBytes(MimeCharsets.EUC_JP));
        assertEquals(Set.of("memo.txt:line 3"), Digits.lineLocations(sink, N1));
        assertTrue(sink.allText().startsWith("一行目"));
    }

    @Test
    void binaryScansPrintableRuns() {
        byte[] head = {0, 1, 2, (byte) 0x89, 'P', 'N', 'G', 0, 5};
        byte[] text = utf8("番号:" + N1);
        byte[] tail = {0, 'a', 'b', 0, (byte) 0xff};
        byte[] all = new byte[head.length + text.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(text, 0, all, head.length, text.length);
        System.arraycopy(tail, 0, all, head.length + text.length, tail.length);
        RecordingSink sink = file("x.bin", all);
        assertEquals("番号:" + N1 + "\n", sink.allText());
    }

    @Test
    void sniffer() {
        String s = "マイナンバーのお知らせ、ご確認ください。";
        assertEquals(MimeCharsets.WINDOWS_31J, CharsetSniffer.sniff(s.getBytes(MimeCharsets.WINDOWS_31J), 40).charset());
        byte[] euc = s.getBytes(MimeCharsets.EUC_JP);
        assertEquals(MimeCharsets.EUC_JP, CharsetSniffer.sniff(euc, euc.length).charset());
        byte[] jis = s.getBytes(MimeCharsets.ISO_2022_JP);
        assertEquals(MimeCharsets.ISO_2022_JP, CharsetSniffer.sniff(jis, jis.length).charset());
        byte[] u = utf8(s);
        assertEquals(StandardCharsets.UTF_8, CharsetSniffer.sniff(u, u.length).charset());
        byte[] le = ("abc " + N1).getBytes(StandardCharsets.UTF_16LE);
        assertEquals(StandardCharsets.UTF_16LE, CharsetSniffer.sniff(le, le.length).charset());
        assertNull(MimeCharsets.forLabel("us-ascii"));
        assertEquals(MimeCharsets.WINDOWS_31J, MimeCharsets.forLabel("\"SJIS\""));
    }

    @Test
    void headerText() {
        assertEquals("No.個人番号 x", HeaderText.decode("No.=?UTF-8?Q?=E5=80=8B=E4=BA=BA?= =?utf-8?B?55Wq5Y+3?= x"));
        assertEquals("a =?bogus", HeaderText.decode("a =?bogus"));
        assertEquals("名簿", HeaderText.decode(new String("名簿".getBytes(MimeCharsets.WINDOWS_31J),
                StandardCharsets.ISO_8859_1)));
        assertEquals("①個人番号", HeaderText.decode(new String("①個人番号".getBytes(MimeCharsets.ISO_2022_JP),
                StandardCharsets.ISO_8859_1)));
    }
}
