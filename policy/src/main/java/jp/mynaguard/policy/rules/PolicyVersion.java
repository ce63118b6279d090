package jp.mynaguard.policy.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The version of a policy: SHA-256 over the bytes of its files in load order, each preceded by
 * its length so that moving text between the policy and the directory file changes the hash.
 */
final class PolicyVersion {
    private PolicyVersion() {
    }

    static String of(List<byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (byte[] f : files) {
                sha.update((f.length + ":").getBytes(StandardCharsets.US_ASCII));
                sha.update(f);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
