package jp.mynaguard.proxy.hold;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetadataMaskTest {
    @Test
    void masksTwelveOrMoreDigitsWithSeparators() {
        assertEquals("************@example.com", MetadataMask.mask("123456789012@example.com"));
        assertEquals("****-****-****@x", MetadataMask.mask("1234-5678-9012@x"));
        assertEquals("**** **** ****", MetadataMask.mask("1234 5678 9012"));
        assertEquals("*************", MetadataMask.mask("1234567890123"));
        assertEquals("番号 ****－****－****", MetadataMask.mask("番号 １２３４－５６７８－９０１２"));
    }

    @Test
    void leavesShortRunsAndTextAlone() {
        assertEquals("tanaka2026@example.co.jp", MetadataMask.mask("tanaka2026@example.co.jp"));
        assertEquals("03-1234-5678", MetadataMask.mask("03-1234-5678"));
        assertEquals("MY_NUMBER HIGH x3 (attachment:名簿.csv)", MetadataMask.mask("MY_NUMBER HIGH x3 (attachment:名簿.csv)"));
        assertEquals("1234-", MetadataMask.mask("1234-"));
        assertEquals("", MetadataMask.mask(""));
    }
}
