package jp.mynaguard.proxy.console;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import jp.mynaguard.proxy.hold.HoldKind;
import jp.mynaguard.proxy.hold.HoldWorkflow;

/**
 * Synthetic held mail for the console tests. The My Number in a message is made up at run time
 * from a seeded random base and the check digit of the specification (no real person's number,
 * and no 12-digit literal in the code).
 */
public final class ConsoleTestData {
    static final String TANAKA = "tanaka@example.co.jp";
    static final String SUZUKI = "suzuki@example.co.jp";
    static final String SATO = "sato@example.co.jp";
    static final String YAMADA = "yamada@example.co.jp";
    static final String PARTNER = "partner@example.com";
    /** Text that only the revealed body holds. */
    static final String BODY_MARKER = "本文の確認用マーカー";

    private ConsoleTestData() {
    }

    /** A synthetic 12-digit number with a valid check digit (個人番号 check digit, weights 2..7,2..6). */
    public static String syntheticMyNumber(long seed) {
        Random r = new Random(seed);
        int[] d = new int[11];
        StringBuilder sb = new StringBuilder();
        d[0] = 1 + r.nextInt(9);
        for (int i = 1; i < 11; i++) {
            d[i] = r.nextInt(10);
        }
        int sum = 0;
        for (int n = 1; n <= 11; n++) {
            int p = d[11 - n];
            int q = n <= 6 ? n + 1 : n - 5;
            sum += p * q;
        }
        int rem = sum % 11;
        int check = rem <= 1 ? 0 : 11 - rem;
        for (int x : d) {
            sb.append(x);
        }
        return sb.append(check).toString();
    }

    static byte[] message(String subject, String number) {
        return ("From: " + TANAKA + "\r\nTo: " + PARTNER + "\r\nSubject: =?UTF-8?B?"
                + java.util.Base64.getEncoder().encodeToString(subject.getBytes(StandardCharsets.UTF_8)) + "?=\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + BODY_MARKER + "\r\nマイナンバー: " + number + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** An approval item from tanaka to an external partner and sato, approvers suzuki and sato, backup yamada. */
    static MemoryHoldWorkflow.Spec approval(String ref, Instant received, String subject, String number) {
        return new MemoryHoldWorkflow.Spec(ref, HoldKind.APPROVE, TANAKA, List.of(PARTNER, SATO), List.of(PARTNER),
                subject, "external-my-number", "MY_NUMBER HIGH x1 (body)",
                List.of(new HoldWorkflow.Finding("MY_NUMBER", "HIGH", "body:2", "****-****-****",
                        "マイナンバー: ****-****-****")),
                List.of(new HoldWorkflow.Attachment("名簿.csv", 2048)), List.of(SUZUKI, SATO), List.of(YAMADA), received,
                received.plus(Duration.ofDays(3)), message(subject, number));
    }

    static MemoryHoldWorkflow.Spec ofKind(String ref, HoldKind kind, String sender, Instant received) {
        String number = syntheticMyNumber(ref.hashCode());
        return new MemoryHoldWorkflow.Spec(ref, kind, sender, List.of(PARTNER), List.of(PARTNER), "件名 " + ref,
                kind == HoldKind.QUARANTINE ? "quarantine-roster" : "hold-my-number", "MY_NUMBER HIGH x1 (body)",
                List.of(new HoldWorkflow.Finding("MY_NUMBER", "HIGH", "body:2", "****-****-****", "****-****-****")),
                List.of(), List.of(SUZUKI), List.of(YAMADA), received, received.plus(Duration.ofHours(1)),
                message("件名 " + ref, number));
    }
}
