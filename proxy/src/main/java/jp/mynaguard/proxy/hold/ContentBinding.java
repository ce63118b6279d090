package jp.mynaguard.proxy.hold;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What an approval is bound to: the SHA-256 of the exact content bytes together with the exact
 * envelope (sender and recipients, in order). A decision records it; release recomputes it
 * from what it is about to send and refuses when they differ. The content hash is over a whole
 * message (never a number on its own), and the result says nothing about the content.
 */
public final class ContentBinding {
    private static final String DOMAIN = "mynaguard-approval-binding-v1";

    private ContentBinding() {
    }

    public static String of(HeldItem item) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            field(md, DOMAIN);
            field(md, item.referenceId());
            field(md, item.contentSha256());
            field(md, item.sender());
            for (String r : item.recipients()) {
                field(md, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Length-prefixed, so that no two different envelopes hash the same bytes. */
    private static void field(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length});
        md.update(b);
    }
}
