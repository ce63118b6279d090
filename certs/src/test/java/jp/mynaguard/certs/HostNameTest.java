package jp.mynaguard.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostNameTest {
    @Test
    void normalisesDnsNames() {
        assertEquals("upload.example.com", HostName.of("Upload.Example.COM.").ascii());
        assertEquals("xn--bcher-kva.example", HostName.of("Bücher.example").ascii());
        assertEquals(HostName.of("xn--bcher-kva.example"), HostName.of("bücher.example"));
        assertFalse(HostName.of("a.example").isIpAddress());
    }

    @Test
    void recognisesIpLiteralsWithoutDns() {
        HostName v4 = HostName.of("192.0.2.1");
        assertTrue(v4.isIpAddress());
        assertEquals(4, v4.address().length);
        assertEquals("0:0:0:0:0:0:0:1", HostName.of("[::1]").ascii());
        assertEquals(HostName.of("::1"), HostName.of("[0:0::1]"));
        assertEquals("192.0.2.1", HostName.of("::ffff:192.0.2.1").ascii(), "mapped IPv4 is IPv4");
        // Not a dotted quad: a (numeric-looking) DNS name, never a lookup.
        assertFalse(HostName.of("1.2.3.256").isIpAddress());
    }

    @Test
    void rejectsWhatCannotBeAHost() {
        for (String bad : new String[] {"", "*.example.com", "a..example", "exa mple.com", "a/b", "[a.example]",
                "fe80::1%eth0", "a@b.example", "x".repeat(64) + ".example", "\u0000.example"}) {
            assertThrows(IllegalArgumentException.class, () -> HostName.of(bad), bad);
        }
    }
}
