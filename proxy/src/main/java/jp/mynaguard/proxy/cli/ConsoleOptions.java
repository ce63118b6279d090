package jp.mynaguard.proxy.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jp.mynaguard.proxy.console.Totp;
import jp.mynaguard.proxy.hold.Role;
import jp.mynaguard.proxy.smtp.SmtpUser;
import jp.mynaguard.proxy.smtp.SmtpUsers;
import picocli.CommandLine.Option;

/**
 * The console options of {@code user add|passwd|set}: roles and the TOTP second factor. A new
 * TOTP secret is printed once, as the {@code otpauth://} URI an authenticator app enrolls from;
 * it goes to the admin's terminal only, never to a log.
 */
final class ConsoleOptions {
    static final String ISSUER = "Mynaguard";

    @Option(names = "--role", paramLabel = "ROLE", split = ",",
            description = "Console roles besides sender: approver, admin, auditor, reveal (repeat or comma-separate;"
                    + " replaces the user's roles; 'sender' alone removes all others).")
    List<String> roles;

    @Option(names = "--totp", description = "Enroll a new TOTP second factor and print its otpauth:// URI.")
    boolean totp;

    @Option(names = "--no-totp", description = "Remove the user's TOTP second factor.")
    boolean noTotp;

    boolean any() {
        return roles != null || totp || noTotp;
    }

    /** {@code u} with the options applied; prints the enrollment URI when a secret was made. */
    SmtpUser apply(SmtpUser u, PrintStream out) {
        if (totp && noTotp) {
            throw new IllegalArgumentException("--totp and --no-totp exclude each other");
        }
        SmtpUser r = u;
        if (roles != null) {
            Set<Role> set = EnumSet.of(Role.SENDER);
            for (String name : roles) {
                set.add(SmtpUsers.role(name));
            }
            r = r.withRoles(set);
        }
        if (noTotp) {
            r = r.withTotpSecret(null);
        }
        if (totp) {
            String secret = Totp.newSecret();
            r = r.withTotpSecret(secret);
            out.println("TOTP for " + u.name() + ": scan or paste into the authenticator app (shown once):");
            out.println("  " + Totp.enrollmentUri(ISSUER, u.name(), secret));
            out.println("  secret: " + secret.replaceAll("(.{4})(?!$)", "$1 "));
        }
        return r;
    }

    /** {@code " (roles=approver,admin; totp; 1 token)"}, or empty for a plain sender. */
    static String describe(SmtpUser u) {
        List<String> parts = parts(u);
        return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
    }

    /** The same as tab-separated columns for {@code user list}. */
    static String columns(SmtpUser u) {
        List<String> parts = parts(u);
        return parts.isEmpty() ? "" : "\t" + String.join("\t", parts);
    }

    private static List<String> parts(SmtpUser u) {
        List<String> parts = new ArrayList<>();
        List<String> roles = u.roles().stream().filter(x -> x != Role.SENDER).sorted()
                .map(x -> x.name().toLowerCase(Locale.ROOT)).toList();
        if (!roles.isEmpty()) {
            parts.add("roles=" + String.join(",", roles));
        }
        if (u.totpSecret() != null) {
            parts.add("totp");
        }
        if (!u.tokens().isEmpty()) {
            parts.add("tokens=" + String.join(",", u.tokens().stream().map(SmtpUser.Token::id).toList()));
        }
        return parts;
    }
}
