package jp.mynaguard.policy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Durations, sizes, suggestions, wildcards, the number guard and envelope folding. */
class SmallPartsTest {
    @Test
    void durations() {
        assertEquals(Duration.ofMinutes(30), Quantities.duration("30m"));
        assertEquals(Duration.ofDays(3), Quantities.duration("3 days"));
        assertEquals(Duration.ofDays(14), Quantities.duration("2w"));
        assertEquals(Duration.ofHours(12), Quantities.duration(" 12 H "));
        assertEquals("bad duration '3': expected a number and a unit (s, m, h, d, w), e.g. 30m, 2h, 3d",
                assertThrows(IllegalArgumentException.class, () -> Quantities.duration("3")).getMessage());
        assertEquals("bad duration '3 dayz': unknown unit 'dayz' (did you mean 'days'?); use s, m, h, d or w, e.g. 3d",
                assertThrows(IllegalArgumentException.class, () -> Quantities.duration("3 dayz")).getMessage());
    }

    @Test
    void sizes() {
        assertEquals(10L * 1024 * 1024, Quantities.size("10MB"));
        assertEquals(512L * 1024, Quantities.size("512 KiB"));
        assertEquals(100, Quantities.size("100"));
        assertThrows(IllegalArgumentException.class, () -> Quantities.size("10 MBs"));
    }

    @Test
    void suggestions() {
        assertEquals("action", Suggestions.closest("acton", List.of("name", "action", "mode")));
        assertEquals("expire_after", Suggestions.closest("expire-after", List.of("expire_after", "remind_before")));
        assertEquals(null, Suggestions.closest("colour", List.of("version", "rules")));
    }

    @Test
    void globs() {
        assertTrue(Glob.matches("*.example.co.jp", "a.b.example.co.jp"));
        assertFalse(Glob.matches("*.example.co.jp", "example.co.jp"));
        assertTrue(Glob.matches("*@example.co.jp", "tanaka@example.co.jp"));
        assertTrue(Glob.matches("file?.zip", "file1.zip"));
        assertFalse(Glob.matches("file?.zip", "file10.zip"));
        assertTrue(Glob.matches("*a*b*c", "xxaxxbxxc"));
        assertFalse(Glob.matches("*a*b*c", "xxaxxcxxb"));
    }

    @Test
    void numberGuardFindsGroupedAndFullWidthNumbers() {
        assertTrue(NumberGuard.holdsNumber("2720 3442 2478"));
        assertTrue(NumberGuard.holdsNumber("２７２０－３４４２－２４７８"));
        assertTrue(NumberGuard.holdsNumber("x272034422478y"));
        assertFalse(NumberGuard.holdsNumber("expires 2027-03-31, 10MB, 03-1234-5678"));
        assertEquals("id ****-****-****", NumberGuard.redact("id 1234-5678-9012"));
        assertEquals("3 dayz", NumberGuard.redact("3 dayz"));
    }

    @Test
    void envelopeFoldsCaseAndStripsMediaTypeParameters() {
        Envelope e = Envelope.smtp().sender("Tanaka@Example.CO.JP").recipient(" B@Partner.JP ")
                .attachment("A.ZIP", "Application/Zip; name=a.zip").build();
        assertEquals("tanaka@example.co.jp", e.sender());
        assertEquals(List.of("b@partner.jp"), e.recipients());
        assertEquals("partner.jp", e.recipientDomain(0));
        assertEquals("application/zip", e.attachments().get(0).contentType());
        assertEquals("A.ZIP", e.attachments().get(0).name());
    }
}
