package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jp.mynaguard.proxy.io.DurableFiles;

/**
 * The key that wraps every held item's data key: 256 random bits in a file the admin controls
 * ({@code DATA_DIR/master.key}, base64, mode 0600). Whoever has this file and the store can read
 * held mail, so it can be kept apart from the data (another disk, a secrets manager that writes
 * the file at start-up) and backed up on its own.
 *
 * <p>Data keys are wrapped with AES-256-GCM, with the item's reference id as associated data: a
 * wrapped key copied onto another item's row does not unwrap.
 */
final class MasterKey {
    static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String HEADER = "# Mynaguard hold store master key. Keep it secret, back it up apart from the data.\n"
            + "# Losing it makes every held message unreadable; replacing it does too.\n";

    private final SecretKey key;
    private final String id;

    private MasterKey(byte[] raw) throws GeneralSecurityException {
        this.key = new SecretKeySpec(raw, "AES");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(raw, "HmacSHA256"));
        // A public fingerprint of the key: tells "wrong key" apart from "damaged item".
        this.id = HexFormat.of().formatHex(mac.doFinal("mynaguard master key id".getBytes(StandardCharsets.US_ASCII)), 0, 8);
    }

    /** Short public identifier of this key (not secret: an HMAC of a constant under the key). */
    String id() {
        return id;
    }

    /** Reads the key file; creates it (0600, atomically, never replacing one) when {@code create} and it is missing. */
    static MasterKey loadOrCreate(Path file, boolean create) throws IOException {
        if (!Files.exists(file)) {
            if (!create) {
                throw new IOException("master key file " + file + " is missing; without it the held items cannot be read");
            }
            byte[] raw = new byte[KEY_BYTES];
            RANDOM.nextBytes(raw);
            String text = HEADER + Base64.getEncoder().encodeToString(raw) + "\n";
            Path tmp = DurableFiles.writeTemp(file.toAbsolutePath().getParent(), ".master-key-",
                    out -> out.write(text.getBytes(StandardCharsets.US_ASCII)));
            try {
                DurableFiles.publish(tmp, file);
            } catch (FileAlreadyExistsException raced) {
                // Another process created it first; use theirs.
            }
        }
        checkPermissions(file);
        return parse(file);
    }

    private static MasterKey parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        byte[] raw;
        try {
            raw = lines.size() == 1 ? Base64.getDecoder().decode(lines.get(0)) : new byte[0];
        } catch (IllegalArgumentException e) {
            raw = new byte[0];
        }
        if (raw.length != KEY_BYTES) {
            throw new IOException("master key file " + file + " must hold one base64 line of " + KEY_BYTES + " bytes");
        }
        try {
            return new MasterKey(raw);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the master key", e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** Like ssh with its private keys: a key file others can read is refused, not silently used. */
    private static void checkPermissions(Path file) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        for (PosixFilePermission p : perms) {
            if (p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_")) {
                throw new IOException("master key file " + file + " is accessible to other users; run: chmod 600 " + file);
            }
        }
    }

    byte[] wrap(byte[] dataKey, String referenceId) throws IOException {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(referenceId));
            byte[] sealed = c.doFinal(dataKey);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot wrap a data key", e);
        }
    }

    byte[] unwrap(byte[] wrapped, String referenceId) throws IOException {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE_BYTES));
            c.updateAAD(aad(referenceId));
            return c.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("cannot unwrap the data key of item " + referenceId
                    + ": wrong master key or damaged store", e);
        }
    }

    private static byte[] aad(String referenceId) {
        return ("mynaguard-dek-v1:" + referenceId).getBytes(StandardCharsets.UTF_8);
    }
}
