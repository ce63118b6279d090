package jp.mynaguard.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Generates mail-like text deterministically: Japanese business sentences and English lines with
 * the digit look-alikes real mail is full of (dates, times, phone numbers, postal codes, prices,
 * order numbers, URLs, addresses) and, rarely, a synthetic My Number with a keyword. Everything
 * is generated; no real person's number.
 */
final class MailLikeText {
    private static final String[] JA = {
        "いつもお世話になっております。", "総務部の佐藤です。", "来週の会議についてご連絡いたします。",
        "添付の資料をご確認ください。", "ご不明な点がございましたらお知らせください。",
        "年末調整の書類は今月末までに提出してください。", "よろしくお願いいたします。",
        "本日の議事録を共有します。", "請求書を送付いたします。", "お手数ですがご対応をお願いします。",
    };
    private static final String[] EN = {
        "Please find the report attached.", "Thanks for your quick reply.", "The meeting moved to Tuesday.",
        "Let me know if anything is unclear.", "Best regards,", "See the dashboard for details.",
    };

    private MailLikeText() {
    }

    /** About {@code bytes} bytes of UTF-8 text with one valid My Number per ~{@code numberEvery} bytes. */
    static byte[] generate(int bytes, int numberEvery, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder(bytes);
        int utf8 = 0;
        int sinceNumber = 0;
        while (utf8 < bytes) {
            String line = line(r, sinceNumber >= numberEvery);
            if (sinceNumber >= numberEvery) {
                sinceNumber = 0;
            }
            int n = line.getBytes(StandardCharsets.UTF_8).length + 1;
            utf8 += n;
            sinceNumber += n;
            sb.append(line).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String line(SplittableRandom r, boolean withNumber) {
        if (withNumber) {
            return "マイナンバー: " + myNumber(r) + " (本人確認済み)";
        }
        switch (r.nextInt(10)) {
            case 0:
                return JA[r.nextInt(JA.length)] + " 日時: 2026年" + (1 + r.nextInt(12)) + "月" + (1 + r.nextInt(28)) + "日 "
                        + r.nextInt(24) + ":" + pad(r.nextInt(60), 2);
            case 1:
                return "電話 0" + (3 + r.nextInt(6)) + "-" + pad(r.nextInt(10000), 4) + "-" + pad(r.nextInt(10000), 4)
                        + " / 携帯 090-" + pad(r.nextInt(10000), 4) + "-" + pad(r.nextInt(10000), 4);
            case 2:
                return "〒" + pad(r.nextInt(1000), 3) + "-" + pad(r.nextInt(10000), 4) + " 東京都千代田区丸の内" + (1 + r.nextInt(9)) + "-"
                        + (1 + r.nextInt(20));
            case 3:
                return "https://portal.example.test/orders/" + pad(r.nextInt(1_000_000), 6) + "?ref=" + Long.toHexString(r.nextLong());
            case 4:
                return "注文番号 2026" + pad(r.nextInt(100_000_000), 8) + " 金額 ¥" + r.nextInt(1_000_000) + " (税込)";
            case 5:
                return EN[r.nextInt(EN.length)] + " Sent 2026-11-" + pad(1 + r.nextInt(28), 2) + "T" + pad(r.nextInt(24), 2) + ":00:00Z";
            case 6:
                return "> " + JA[r.nextInt(JA.length)] + JA[r.nextInt(JA.length)];
            default:
                return JA[r.nextInt(JA.length)] + JA[r.nextInt(JA.length)] + EN[r.nextInt(EN.length)];
        }
    }

    private static String pad(int v, int width) {
        String s = Integer.toString(v);
        return "0".repeat(Math.max(0, width - s.length())) + s;
    }

    /** A random 12-digit number with a valid My Number check digit (synthetic). */
    static String myNumber(SplittableRandom r) {
        int[] d = new int[12];
        for (int i = 0; i < 11; i++) {
            d[i] = r.nextInt(10);
        }
        int sum = 0;
        for (int n = 1; n <= 11; n++) {
            int p = d[11 - n];
            int q = n <= 6 ? n + 1 : n - 5;
            sum += p * q;
        }
        int rem = sum % 11;
        d[11] = rem <= 1 ? 0 : 11 - rem;
        StringBuilder sb = new StringBuilder(14);
        for (int i = 0; i < 12; i++) {
            if (i == 4 || i == 8) {
                sb.append(' ');
            }
            sb.append(d[i]);
        }
        return sb.toString();
    }
}
