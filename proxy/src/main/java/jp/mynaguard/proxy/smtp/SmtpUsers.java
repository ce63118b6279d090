package jp.mynaguard.proxy.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jp.mynaguard.proxy.hold.Role;

/**
 * The users file, one user per line: {@code NAME HASH [ADDRESS[,ADDRESS...]] [roles=ROLE,...]
 * [totp=BASE32] [tokens=ID:SHA256,...]}; {@code #} starts a comment. The attributes after the
 * addresses are the console's (roles besides sender, the TOTP second factor, API token hashes);
 * a line without them is what earlier versions wrote and means a sender with no second factor.
 * The admin maintains it with {@code mynaguard user add|passwd|set|token|remove}; the running
 * gateway notices changes by the file's modification time, so no restart is needed. Written
 * atomically with mode 0600: the hashes and TOTP secrets are secrets.
 */
public final class SmtpUsers {
    private static final String HEADER = "# Mynaguard users: NAME PASSWORD-HASH ADDRESS[,ADDRESS...] [roles=R,...]"
            + " [totp=SECRET] [tokens=ID:HASH,...]\n"
            + "# Maintained with 'mynaguard user add|passwd|set|token|remove'; edits by hand are read too.\n";

    /** In place of a hash: the user cannot log in (a user for a mapped client network, e.g. a scanner). */
    public static final String DISABLED = "!";

    /** The {@code key=} fields after the addresses. */
    private static final Set<String> ATTRIBUTES = Set.of("roles", "totp", "tokens");

    /** How often the file's time stamp is looked at: EHLO asks on the event loop, so not on every call. */
    private static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;

    private final Path file;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), null, -1);
    private volatile long lastCheck = System.nanoTime();

    private record Snapshot(Map<String, SmtpUser> users, FileTime modified, long size) {
    }

    private SmtpUsers(Path file) {
        this.file = file;
    }

    /** The users in {@code file}; a missing file means no users (AUTH is then not offered). */
    public static SmtpUsers open(Path file) throws IOException {
        SmtpUsers u = new SmtpUsers(file);
        u.snapshot = u.read();
        return u;
    }

    /** No users at all: for servers without AUTH. */
    public static SmtpUsers none() {
        return new SmtpUsers(null);
    }

    public Path file() {
        return file;
    }

    /** The user named {@code name} (exact, case-sensitive like most login names). */
    public Optional<SmtpUser> find(String name) {
        return Optional.ofNullable(current().get(name));
    }

    public Collection<SmtpUser> all() {
        return current().values();
    }

    public boolean isEmpty() {
        return current().isEmpty();
    }

    /** Re-reads the file when it changed; on a read error keeps the last good users and logs nothing digit-bearing. */
    private Map<String, SmtpUser> current() {
        if (file == null) {
            return Map.of();
        }
        Snapshot s = snapshot;
        long now = System.nanoTime();
        if (now - lastCheck < CHECK_INTERVAL_NANOS) {
            return s.users;
        }
        lastCheck = now;
        try {
            FileTime m = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
            long size = m == null ? -1 : Files.size(file);
            if (!java.util.Objects.equals(m, s.modified) || size != s.size) {
                s = read();
                snapshot = s;
            }
        } catch (IOException | IllegalArgumentException e) {
            org.slf4j.LoggerFactory.getLogger(SmtpUsers.class).warn("cannot re-read {}: {}; keeping the users"
                    + " read before", file, e.getMessage());
        }
        return s.users;
    }

    private Snapshot read() throws IOException {
        FileTime m;
        long size;
        List<String> lines;
        try {
            m = Files.getLastModifiedTime(file);
            size = Files.size(file);
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Snapshot(Map.of(), null, -1);
        }
        return new Snapshot(parse(lines, file.toString()), m, size);
    }

    static Map<String, SmtpUser> parse(List<String> lines, String label) {
        Map<String, SmtpUser> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                SmtpUser u = parseLine(line.split("\\s+"));
                if (users.put(u.name(), u) != null) {
                    throw new IllegalArgumentException("user " + u.name() + " is listed twice");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(label + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return java.util.Collections.unmodifiableMap(users);
    }

    /** One line's fields; error messages name the field, never its value (hashes and secrets). */
    private static SmtpUser parseLine(String[] f) {
        if (f.length < 2 || !(DISABLED.equals(f[1]) || PasswordHash.isWellFormed(f[1]))) {
            throw new IllegalArgumentException("expected NAME HASH ADDRESS[,ADDRESS...]");
        }
        List<String> addresses = List.of();
        Set<Role> roles = EnumSet.noneOf(Role.class);
        String totp = null;
        List<SmtpUser.Token> tokens = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int k = 2; k < f.length; k++) {
            int eq = f[k].indexOf('=');
            String key = eq > 0 ? f[k].substring(0, eq) : "";
            if (!ATTRIBUTES.contains(key)) {
                if (k != 2) {
                    throw new IllegalArgumentException("expected roles=, totp= or tokens= after the addresses");
                }
                addresses = Arrays.asList(f[k].split(","));
                continue;
            }
            if (!seen.add(key)) {
                throw new IllegalArgumentException(key + "= is given twice");
            }
            String value = f[k].substring(eq + 1);
            switch (key) {
                case "roles" -> {
                    for (String r : value.split(",")) {
                        roles.add(role(r));
                    }
                }
                case "totp" -> totp = value;
                default -> {
                    for (String t : value.split(",")) {
                        int colon = t.indexOf(':');
                        if (colon < 0) {
                            throw new IllegalArgumentException("a token is ID:SHA256-HEX");
                        }
                        tokens.add(new SmtpUser.Token(t.substring(0, colon), t.substring(colon + 1)));
                    }
                }
            }
        }
        return new SmtpUser(f[0], f[1], addresses, roles, totp, tokens);
    }

    /** A role as written in the file or on the command line: {@code approver}, {@code ADMIN}... */
    public static Role role(String name) {
        try {
            return Role.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + name + "' (known: sender, approver, admin, auditor, reveal)",
                    e);
        }
    }

    /** The line {@link #write} puts in the file for {@code u}. */
    static String line(SmtpUser u) {
        StringBuilder sb = new StringBuilder();
        sb.append(u.name()).append(' ').append(u.passwordHash());
        if (!u.addresses().isEmpty()) {
            sb.append(' ').append(String.join(",", u.addresses()));
        }
        List<String> roles = u.roles().stream().filter(r -> r != Role.SENDER).sorted()
                .map(r -> r.name().toLowerCase(java.util.Locale.ROOT)).toList();
        if (!roles.isEmpty()) {
            sb.append(" roles=").append(String.join(",", roles));
        }
        if (u.totpSecret() != null) {
            sb.append(" totp=").append(u.totpSecret());
        }
        if (!u.tokens().isEmpty()) {
            sb.append(" tokens=").append(String.join(",", u.tokens().stream().map(t -> t.id() + ":" + t.sha256()).toList()));
        }
        return sb.toString();
    }

    /** Writes {@code users} to {@code file} atomically, mode 0600 where the file system has modes. */
    public static void write(Path file, Collection<SmtpUser> users) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER);
        for (SmtpUser u : users) {
            sb.append(line(u)).append('\n');
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".smtp-users-", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system (Windows): the directory's ACL protects the file.
            }
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads {@code file} for editing (missing = empty), strictly: a malformed file is an error to fix. */
    public static List<SmtpUser> readForEdit(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new ArrayList<>();
        }
        return new ArrayList<>(parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString()).values());
    }
}
