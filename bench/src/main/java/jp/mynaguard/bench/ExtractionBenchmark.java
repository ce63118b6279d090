package jp.mynaguard.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import jp.mynaguard.policy.extract.Format;
import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.policy.scan.ContentScanner;
import jp.mynaguard.policy.scan.ScanReport;

/**
 * The whole inspection path (MIME parse, base64, charset decode, xlsx, detection) on a ~20 MB
 * message with a ~10 MB xlsx roster attachment, in a 256 MB heap: the gateway's worst ordinary day.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class ExtractionBenchmark {
    static final int XLSX_TARGET_BYTES = 10 * 1024 * 1024;
    static final int MESSAGE_TARGET_BYTES = 20 * 1024 * 1024;

    Path message;
    long messageBytes;
    ContentScanner scanner;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path xlsx = Files.createTempFile("bench-roster-", ".xlsx");
        writeXlsx(xlsx);
        message = Files.createTempFile("bench-mail-", ".eml");
        writeMessage(message, Files.readAllBytes(xlsx));
        Files.delete(xlsx);
        messageBytes = Files.size(message);
        scanner = ContentScanner.withDefaults();
        ScanReport r = scan();
        System.out.printf("%n[setup] message %d bytes, %d findings, unscannable %s%n",
                messageBytes, r.findings().size(), r.unscannable());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(message);
    }

    @Benchmark
    public ScanReport scan() throws IOException {
        try (InputSource src = InputSource.ofFile(message)) {
            return scanner.scan(Format.MESSAGE, "", "bench.eml", src);
        }
    }

    /**
     * A roster-like workbook (ids, names, departments, dates, phone numbers, every 50th row a
     * My Number) of about {@link #XLSX_TARGET_BYTES}. An SXSSF workbook can be written only once,
     * so the row count is estimated from a first try and the workbook written anew.
     */
    static void writeXlsx(Path out) throws IOException {
        int rows = 50_000;
        for (int attempt = 0; attempt < 4; attempt++) {
            writeXlsx(out, rows);
            long size = Files.size(out);
            if (size >= XLSX_TARGET_BYTES * 0.95) {
                return;
            }
            rows = (int) (rows * (double) XLSX_TARGET_BYTES / size * 1.02);
        }
    }

    private static void writeXlsx(Path out, int rows) throws IOException {
        SplittableRandom r = new SplittableRandom(7);
        try (SXSSFWorkbook wb = new SXSSFWorkbook(200)) {
            Sheet sheet = wb.createSheet("名簿");
            Row header = sheet.createRow(0);
            String[] cols = {"社員番号", "氏名", "部署", "入社日", "電話", "備考", "マイナンバー"};
            for (int c = 0; c < cols.length; c++) {
                header.createCell(c).setCellValue(cols[c]);
            }
            for (int row = 1; row <= rows; row++) {
                Row x = sheet.createRow(row);
                x.createCell(0).setCellValue("E" + (100000 + row));
                x.createCell(1).setCellValue("社員" + Long.toString(r.nextLong(), 36));
                x.createCell(2).setCellValue(new String[] {"総務部", "人事部", "営業部", "開発部"}[r.nextInt(4)]);
                x.createCell(3).setCellValue(2000 + r.nextInt(26) + "-" + (1 + r.nextInt(12)) + "-" + (1 + r.nextInt(28)));
                x.createCell(4).setCellValue("03-" + (1000 + r.nextInt(9000)) + "-" + (1000 + r.nextInt(9000)));
                x.createCell(5).setCellValue(Long.toHexString(r.nextLong()));
                if (row % 50 == 0) {
                    x.createCell(6).setCellValue(MailLikeText.myNumber(r).replace(" ", ""));
                }
            }
            try (OutputStream o = Files.newOutputStream(out)) {
                wb.write(o);
            }
            wb.dispose();
        }
    }

    static void writeMessage(Path out, byte[] xlsx) throws IOException {
        try (OutputStream o = Files.newOutputStream(out)) {
            o.write(("From: sato@example.test\r\nTo: tax@example.test\r\nSubject: =?UTF-8?B?"
                    + Base64.getEncoder().encodeToString("名簿の送付".getBytes(StandardCharsets.UTF_8)) + "?=\r\n"
                    + "Message-ID: <bench@example.test>\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: multipart/mixed; boundary=\"bench-boundary\"\r\n\r\n"
                    + "--bench-boundary\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            long attachment = (xlsx.length + 2L) / 3 * 4 * 78 / 76;
            int textBytes = (int) Math.max(1 << 20, (MESSAGE_TARGET_BYTES - attachment) * 3 / 4);
            o.write(Base64.getMimeEncoder().encode(MailLikeText.generate(textBytes, 200_000, 3)));
            o.write(("\r\n--bench-boundary\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n"
                    + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"roster.xlsx\"\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            o.write(Base64.getMimeEncoder().encode(xlsx));
            o.write("\r\n--bench-boundary--\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
