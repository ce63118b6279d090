package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;

class ZipExtractorTest {
    private static final String N1 = DocTestSupport.myNumber("12345678901");
    private static final String N2 = DocTestSupport.myNumber("98765432109");

    /** A zip of (name, content) pairs; names written as CP932 without the UTF-8 flag when {@code cp932}. */
    static byte[] zipWith(boolean cp932, boolean stored, Object... nameContent) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(bytes)) {
            if (cp932) {
                z.setEncoding("windows-31j");
                z.setUseLanguageEncodingFlag(false);
            }
            if (stored) {
                z.setMethod(ZipArchiveOutputStream.STORED);
            }
            for (int i = 0; i < nameContent.length; i += 2) {
                byte[] content = nameContent[i + 1] instanceof byte[] b ? b
                        : ((String) nameContent[i + 1]).getBytes(StandardCharsets.UTF_8);
                ZipArchiveEntry e = new ZipArchiveEntry((String) nameContent[i]);
                if (stored) {
                    e.setSize(content.length);
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(content);
                    e.setCrc(crc.getValue());
                }
                z.putArchiveEntry(e);
                z.write(content);
                z.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static byte[] zip(Object... nameContent) throws IOException {
        return zipWith(false, false, nameContent);
    }

    /** Offsets of every local file header and central directory header, in file order. */
    private static List<Integer> headers(byte[] zip, int signature) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i + 4 <= zip.length; i++) {
            if (b.getInt(i) == signature) {
                out.add(i);
            }
        }
        return out;
    }

    /** Sets a 16-bit field of the n-th entry in both its local header and its central directory header. */
    private static void patch(byte[] zip, int entry, int localOffset, int centralOffset, int value) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int lh = headers(zip, 0x04034b50).get(entry);
        int cd = headers(zip, 0x02014b50).get(entry);
        b.putShort(lh + localOffset, (short) value);
        b.putShort(cd + centralOffset, (short) value);
    }

    @Test
    void entriesAreDispatchedByNameWithJoinedLocations() throws IOException {
        byte[] z = zip("dir/a.txt", "番号 " + N1, "b.txt", N2);
        RecordingSink sink = DocTestSupport.extract("x.zip", z);
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        assertEquals(List.of("x.zip/dir/a.txt", "x.zip/b.txt"), sink.locations());
        assertTrue(sink.textAt("x.zip/dir/a.txt").contains(N1));
    }

    @Test
    void namesWithoutUtf8FlagAreCp932() throws IOException {
        byte[] z = zipWith(true, false, "名簿/従業員.txt", N1);
        RecordingSink sink = DocTestSupport.extract("x.zip", z);
        assertEquals(List.of("x.zip/名簿/従業員.txt"), sink.locations());
    }

    @Test
    void utf8FlaggedNamesAreUtf8() throws IOException {
        RecordingSink sink = DocTestSupport.extract("a.zip", DocTestSupport.emlAttachment("archive_01_zip_csv_in_eml.eml"));
        assertEquals(List.of("a.zip/従業員名簿.csv"), sink.locations());
    }

    @Test
    void zipCryptoEntryFromCorpusIsEncrypted() throws IOException {
        RecordingSink sink = DocTestSupport.extract("p.zip", DocTestSupport.emlAttachment("archive_05_zipcrypto_ppap.eml"));
        assertEquals(1, sink.unscannables.size());
        Unscannable u = sink.unscannables.get(0);
        assertEquals(UnscannableReason.ENCRYPTED, u.reason());
        assertEquals("p.zip/個人番号一覧.csv", u.location());
        assertTrue(sink.segments.isEmpty());
    }

    @Test
    void encryptedEntryIsFlaggedAndTheOthersAreStillScanned() throws IOException {
        byte[] z = zipWith(false, true, "secret.txt", N1, "plain.txt", N2);
        patch(z, 0, 6, 8, 0x0001); // general purpose bit 0: traditional PKWARE encryption
        RecordingSink sink = DocTestSupport.extract("x.zip", z);
        assertEquals(List.of(new Unscannable("x.zip/secret.txt", UnscannableReason.ENCRYPTED, "zip entry is encrypted")),
                sink.unscannables);
        assertEquals(List.of("x.zip/plain.txt"), sink.locations());
        assertFalse(sink.allText().contains(N1));
        assertTrue(sink.allText().contains(N2));
    }

    @Test
    void aesEntryIsEncrypted() throws IOException {
        byte[] z = zipWith(false, true, "aes.txt", N1, "plain.txt", N2);
        patch(z, 0, 8, 10, 99); // compression method 99: WinZip AES
        RecordingSink sink = DocTestSupport.extract("x.zip", z);
        assertEquals(UnscannableReason.ENCRYPTED, sink.unscannables.get(0).reason());
        assertEquals(List.of("x.zip/plain.txt"), sink.locations());
    }

    @Test
    void unsupportedMethodIsMalformedForThatEntryOnly() throws IOException {
        byte[] z = zipWith(false, true, "odd.txt", N1, "plain.txt", N2);
        patch(z, 0, 8, 10, 97); // WavPack: not readable
        RecordingSink sink = DocTestSupport.extract("x.zip", z);
        assertEquals(1, sink.unscannables.size());
        assertEquals("x.zip/odd.txt", sink.unscannables.get(0).location());
        assertEquals(UnscannableReason.MALFORMED, sink.unscannables.get(0).reason());
        assertEquals(List.of("x.zip/plain.txt"), sink.locations());
    }

    @Test
    void overlappingEntriesAreRejected() throws IOException {
        byte[] z = zip("a.txt", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "b.txt", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        // Point the second central directory entry at the first entry's local header and data.
        int cd = headers(z, 0x02014b50).get(1);
        ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN).putInt(cd + 42, 0);
        RecordingSink sink = DocTestSupport.extract("x.zip", z);
        assertTrue(sink.segments.isEmpty());
        assertEquals(UnscannableReason.COMPRESSION_RATIO, sink.unscannables.get(0).reason());
        assertEquals("x.zip", sink.unscannables.get(0).location());
    }

    @Test
    void zipBombStopsEarlyWithBoundedMemory() throws IOException {
        long t0 = System.nanoTime();
        RecordingSink sink = DocTestSupport.extract("archive_06_zip_bomb_200mb_zeros.zip",
                DocTestSupport.corpus("archive_06_zip_bomb_200mb_zeros.zip"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1, sink.unscannables.size(), sink.unscannables::toString);
        UnscannableReason r = sink.unscannables.get(0).reason();
        assertTrue(r == UnscannableReason.COMPRESSION_RATIO || r == UnscannableReason.TOO_LARGE, r::toString);
        assertEquals("archive_06_zip_bomb_200mb_zeros.zip/zeros.bin", sink.unscannables.get(0).location());
        assertTrue(ms < 10_000, "took " + ms + " ms");
    }

    @Test
    void decompressedBudgetEndsTheArchive() throws IOException {
        byte[] big = new byte[3 * 1024 * 1024];
        new java.util.Random(1).nextBytes(big); // incompressible: the ratio is not what stops it
        byte[] z = zip("a.txt", big, "b.txt", big);
        Limits limits = Limits.builder().maxDecompressedBytes(4L * 1024 * 1024).build();
        RecordingSink sink = DocTestSupport.extract(limits, "x.zip", z);
        assertEquals(List.of(new Unscannable("x.zip", UnscannableReason.TOO_LARGE,
                "decompresses to more than 4194304 bytes")), sink.unscannables);
    }

    @Test
    void nestingBeyondMaxDepthIsTooDeep() throws IOException {
        byte[] inner = zip("deep.txt", N1);
        for (int i = 0; i < 4; i++) {
            inner = zip("level" + i + ".zip", inner);
        }
        RecordingSink ok = DocTestSupport.extract("x.zip", inner);
        assertTrue(ok.unscannables.isEmpty());
        assertTrue(ok.allText().contains(N1));

        Limits limits = Limits.builder().maxDepth(3).build();
        RecordingSink sink = DocTestSupport.extract(limits, "x.zip", inner);
        assertFalse(sink.allText().contains(N1));
        assertEquals(1, sink.unscannables.size());
        assertEquals(UnscannableReason.TOO_DEEP, sink.unscannables.get(0).reason());
        assertEquals("x.zip/level3.zip/level2.zip/level1.zip", sink.unscannables.get(0).location());
    }

    @Test
    void corpusZipInZipBeyondDepthIsTooDeep() throws IOException {
        Limits limits = Limits.builder().maxDepth(2).build();
        RecordingSink sink = DocTestSupport.extract(limits, "z.zip", DocTestSupport.corpus("archive_03_zip_in_zip_3_levels.zip"));
        assertEquals(UnscannableReason.TOO_DEEP, sink.unscannables.get(0).reason());
    }

    @Test
    void entriesBeyondMaxArchiveEntriesAreTooLarge() throws IOException {
        Object[] entries = new Object[2 * 11];
        for (int i = 0; i < 11; i++) {
            entries[2 * i] = "f" + i + ".txt";
            entries[2 * i + 1] = "x";
        }
        Limits limits = Limits.builder().maxArchiveEntries(10).build();
        RecordingSink sink = DocTestSupport.extract(limits, "x.zip", zip(entries));
        assertEquals(List.of(new Unscannable("x.zip", UnscannableReason.TOO_LARGE, "more than 10 archive entries")),
                sink.unscannables);

        RecordingSink ten = DocTestSupport.extract(Limits.builder().maxArchiveEntries(11).build(), "x.zip", zip(entries));
        assertTrue(ten.unscannables.isEmpty());
        assertEquals(11, ten.segments.size());
    }

    @Test
    void entriesCountAgainstThePartLimit() throws IOException {
        Object[] entries = new Object[2 * 6];
        for (int i = 0; i < 6; i++) {
            entries[2 * i] = "f" + i + ".txt";
            entries[2 * i + 1] = "x";
        }
        RecordingSink sink = DocTestSupport.extract(Limits.builder().maxParts(5).build(), "x.zip", zip(entries));
        assertEquals(UnscannableReason.TOO_LARGE, sink.unscannables.get(0).reason());
    }

    @Test
    void brokenZipIsMalformed() throws IOException {
        byte[] z = zip("a.txt", N1);
        byte[] cut = java.util.Arrays.copyOf(z, z.length - 30); // end of central directory gone
        RecordingSink sink = DocTestSupport.extract("x.zip", cut);
        assertEquals(UnscannableReason.MALFORMED, sink.unscannables.get(0).reason());

        byte[] junk = "PK\u0003\u0004 this is not a zip at all".getBytes(StandardCharsets.ISO_8859_1);
        RecordingSink sink2 = DocTestSupport.extract("y.zip", junk);
        assertEquals(UnscannableReason.MALFORMED, sink2.unscannables.get(0).reason());
    }

    @Test
    void misnamedWorkbookIsReadAsAWorkbook() throws IOException {
        byte[] xlsx = DocTestSupport.corpus("office_02_xlsx_numeric_cells.xlsx");
        RecordingSink sink = DocTestSupport.extract("report.zip", xlsx);
        assertEquals(List.of("report.zip/Sheet1"), sink.locations());
        assertTrue(sink.segments.get(0).table() != null);

        // A plain zip named .xlsx is read as a zip.
        RecordingSink plain = DocTestSupport.extract("fake.xlsx", zip("list.txt", N1));
        assertEquals(List.of("fake.xlsx/list.txt"), plain.locations());
    }

    @Test
    void timeLimitEndsTheInput() throws IOException {
        Limits limits = Limits.builder().maxTime(Duration.ofNanos(1)).build();
        RecordingSink sink = DocTestSupport.extract(limits, "x.zip", zip("a.txt", N1));
        assertEquals(UnscannableReason.TIMEOUT, sink.unscannables.get(0).reason());
    }
}
