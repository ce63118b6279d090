package jp.mynaguard.policy.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class GzipExtractorTest {
    private static final String N1 = DocTestSupport.myNumber("12345678901");
    private static final String N2 = DocTestSupport.myNumber("48870956888");

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    private static byte[] tar(String... nameContent) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.putArchiveEntry(new TarArchiveEntry("dir/"));
            tar.closeArchiveEntry();
            for (int i = 0; i < nameContent.length; i += 2) {
                byte[] b = nameContent[i + 1].getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(nameContent[i]);
                e.setSize(b.length);
                tar.putArchiveEntry(e);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void contentIsNamedAfterTheOuterFile() throws IOException {
        RecordingSink sink = DocTestSupport.extract("list.csv.gz", gzip(("a," + N1).getBytes(StandardCharsets.UTF_8)));
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        assertEquals(List.of("list.csv.gz/list.csv"), sink.locations());
        assertTrue(sink.allText().contains(N1));
    }

    @Test
    void tarGzEntriesAreFiles() throws IOException {
        byte[] tgz = gzip(tar("dir/a.txt", N1, "dir/名簿.txt", N2));
        RecordingSink sink = DocTestSupport.extract("b.tgz", tgz);
        assertTrue(sink.unscannables.isEmpty(), sink.unscannables::toString);
        assertEquals(List.of("b.tgz/dir/a.txt", "b.tgz/dir/名簿.txt"), sink.locations());
        assertTrue(sink.textAt("b.tgz/dir/名簿.txt").contains(N2));

        // Recognised by the ustar header even without a telling name.
        RecordingSink unnamed = DocTestSupport.extract("blob.gz", tgz);
        assertEquals(List.of("blob.gz/dir/a.txt", "blob.gz/dir/名簿.txt"), unnamed.locations());
    }

    @Test
    void tarEntriesCountAgainstTheLimits() throws IOException {
        byte[] tgz = gzip(tar("a.txt", "1", "b.txt", "2", "c.txt", "3"));
        RecordingSink sink = DocTestSupport.extract(Limits.builder().maxParts(2).build(), "b.tar.gz", tgz);
        assertEquals(UnscannableReason.TOO_LARGE, sink.unscannables.get(0).reason());
    }

    @Test
    void gzipBombHitsTheRatio() throws IOException {
        byte[] zeros = new byte[64 * 1024 * 1024];
        RecordingSink sink = DocTestSupport.extract("zeros.bin.gz", gzip(zeros));
        assertEquals(List.of("zeros.bin.gz"), sink.unscannables.stream().map(Unscannable::location).toList());
        assertEquals(UnscannableReason.COMPRESSION_RATIO, sink.unscannables.get(0).reason());
    }

    @Test
    void corpusGzipInZip() throws IOException {
        byte[] gz = DocTestSupport.emlAttachment("archive_04_gz_csv_in_eml.eml");
        byte[] zip = ZipExtractorTest.zip("in/meibo.csv.gz", gz);
        RecordingSink sink = DocTestSupport.extract("a.zip", zip);
        assertEquals(List.of("a.zip/in/meibo.csv.gz/meibo.csv"), sink.locations());
    }

    @Test
    void brokenGzipIsMalformed() throws IOException {
        byte[] gz = gzip(("a," + N1).getBytes(StandardCharsets.UTF_8));
        gz[12] ^= 0x55;
        RecordingSink sink = DocTestSupport.extract("x.gz", java.util.Arrays.copyOf(gz, gz.length - 4));
        assertEquals(UnscannableReason.MALFORMED, sink.unscannables.get(0).reason());
    }
}
