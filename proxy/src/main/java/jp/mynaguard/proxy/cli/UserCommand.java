package jp.mynaguard.proxy.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import jp.mynaguard.proxy.console.ApiTokens;
import jp.mynaguard.proxy.gateway.GatewayConfig;
import jp.mynaguard.proxy.gateway.GatewayConfigLoader;
import jp.mynaguard.proxy.smtp.PasswordHash;
import jp.mynaguard.proxy.smtp.SmtpUser;
import jp.mynaguard.proxy.smtp.SmtpUsers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mynaguard user add|passwd|set|token|remove|list}: the users file (who may authenticate
 * to SMTP and the console, which sender addresses are theirs, their console roles, TOTP second
 * factor and API tokens). The running gateway picks changes up without a restart.
 */
@Command(name = "user",
        mixinStandardHelpOptions = true,
        description = {"Manages the users: login names, password hashes, sender addresses, console roles,",
            "TOTP second factors and API tokens."},
        subcommands = {UserCommand.Add.class, UserCommand.Passwd.class, UserCommand.SetAttributes.class, UserCommand.Token.class,
            UserCommand.Remove.class, UserCommand.ListUsers.class})
public final class UserCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where the users file is: {@code --users}, else from {@code --config}, else {@code DATA/smtp-users}. */
    static final class Location {
        @Option(names = "--users", paramLabel = "FILE", description = "The users file (default DATA/smtp-users).")
        Path users;

        @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default ./data).")
        Path data;

        @Option(names = "--config", paramLabel = "FILE", description = "gateway.yaml, for its users_file and data settings.")
        Path config;

        Path file() throws IOException {
            if (users != null) {
                return users;
            }
            GatewayConfig.Builder b = GatewayConfig.builder();
            if (config != null) {
                GatewayConfigLoader.load(config, b);
            }
            if (data != null) {
                b.dataDir(data);
            }
            return b.build().usersFile();
        }
    }

    /** How the password is given. */
    static final class PasswordSource {
        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean stdin;

        /** Prompts twice on the console, or reads one line from stdin. Never echoed, never an argument. */
        char[] read(PrintStream err) throws IOException {
            if (stdin) {
                BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line = r.readLine();
                if (line == null || line.isEmpty()) {
                    throw new IOException("no password on standard input");
                }
                return line.toCharArray();
            }
            Console c = System.console();
            if (c == null) {
                throw new IOException("no console to ask for the password; use --password-stdin");
            }
            char[] a = c.readPassword("Password: ");
            char[] b = c.readPassword("Password again: ");
            if (a == null || b == null || a.length == 0 || !Arrays.equals(a, b)) {
                throw new IOException("the passwords are empty or do not match");
            }
            Arrays.fill(b, '\0');
            return a;
        }
    }

    private abstract static class Edit implements Callable<Integer> {
        @Mixin
        Location location = new Location();

        @Override
        public final Integer call() {
            PrintStream err = System.err;
            try {
                Path file = location.file();
                List<SmtpUser> users = SmtpUsers.readForEdit(file);
                String done = edit(users, err);
                if (done == null) {
                    return 1;
                }
                SmtpUsers.write(file, users);
                System.out.println(done + " (" + file + ")");
                return 0;
            } catch (IOException | IllegalArgumentException e) {
                err.println("mynaguard user: " + e.getMessage());
                return 1;
            }
        }

        /** Changes {@code users}; returns what was done, or {@code null} after printing why nothing was. */
        abstract String edit(List<SmtpUser> users, PrintStream err) throws IOException;

        static int indexOf(List<SmtpUser> users, String name) {
            for (int i = 0; i < users.size(); i++) {
                if (users.get(i).name().equals(name)) {
                    return i;
                }
            }
            return -1;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Adds a user. Without --address, a NAME that is an address is the user's one address."})
    static final class Add extends Edit {
        @Parameters(paramLabel = "NAME", description = "Login name for SMTP AUTH.")
        String name;

        @Option(names = "--address", paramLabel = "ADDR",
                description = "A sender address of the user (repeat for several; *@domain for all of a domain).")
        List<String> addresses = new ArrayList<>();

        @Mixin
        PasswordSource password = new PasswordSource();

        @Option(names = "--no-login", description = "No password: the user cannot AUTH (for a client_users network mapping).")
        boolean noLogin;

        @Mixin
        ConsoleOptions console = new ConsoleOptions();

        @Override
        String edit(List<SmtpUser> users, PrintStream err) throws IOException {
            if (indexOf(users, name) >= 0) {
                err.println("mynaguard user add: " + name + " exists; use 'mynaguard user passwd' to change the password");
                return null;
            }
            List<String> own = addresses.isEmpty() && name.indexOf('@') > 0 ? List.of(name) : addresses;
            if (own.isEmpty()) {
                err.println("mynaguard user add: give the user's sender address with --address");
                return null;
            }
            if (noLogin && password.stdin) {
                err.println("mynaguard user add: --no-login and --password-stdin exclude each other");
                return null;
            }
            String hash;
            if (noLogin) {
                hash = SmtpUsers.DISABLED;
            } else {
                char[] pw = password.read(err);
                try {
                    hash = PasswordHash.create(pw);
                } finally {
                    Arrays.fill(pw, '\0');
                }
            }
            SmtpUser u = console.apply(new SmtpUser(name, hash, own), System.out);
            users.add(u);
            return "added " + name + " <" + String.join(">, <", own) + ">" + ConsoleOptions.describe(u);
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = {"Sets a user's password."})
    static final class Passwd extends Edit {
        @Parameters(paramLabel = "NAME")
        String name;

        @Mixin
        PasswordSource password = new PasswordSource();

        @Mixin
        ConsoleOptions console = new ConsoleOptions();

        @Override
        String edit(List<SmtpUser> users, PrintStream err) throws IOException {
            int i = indexOf(users, name);
            if (i < 0) {
                err.println("mynaguard user passwd: no user " + name);
                return null;
            }
            char[] pw = password.read(err);
            try {
                SmtpUser u = users.get(i);
                users.set(i, console.apply(u.withPasswordHash(PasswordHash.create(pw)), System.out));
            } finally {
                Arrays.fill(pw, '\0');
            }
            return "password of " + name + " changed" + ConsoleOptions.describe(users.get(i));
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Changes a user's console roles or TOTP second factor, keeping the password."})
    static final class SetAttributes extends Edit {
        @Parameters(paramLabel = "NAME")
        String name;

        @Mixin
        ConsoleOptions console = new ConsoleOptions();

        @Override
        String edit(List<SmtpUser> users, PrintStream err) {
            int i = indexOf(users, name);
            if (i < 0) {
                err.println("mynaguard user set: no user " + name);
                return null;
            }
            if (!console.any()) {
                err.println("mynaguard user set: nothing to change; give --role, --totp or --no-totp");
                return null;
            }
            users.set(i, console.apply(users.get(i), System.out));
            return "changed " + name + ConsoleOptions.describe(users.get(i));
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = {"Creates an API token for scripts (printed once; only its hash is stored),",
                "or revokes one with --revoke ID. Scripts send it as 'Authorization: Bearer TOKEN'."})
    static final class Token extends Edit {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--revoke", paramLabel = "ID", description = "Revoke the token with this id (see 'user list').")
        String revoke;

        @Override
        String edit(List<SmtpUser> users, PrintStream err) {
            int i = indexOf(users, name);
            if (i < 0) {
                err.println("mynaguard user token: no user " + name);
                return null;
            }
            SmtpUser u = users.get(i);
            List<SmtpUser.Token> tokens = new ArrayList<>(u.tokens());
            if (revoke != null) {
                if (!tokens.removeIf(t -> t.id().equals(revoke))) {
                    err.println("mynaguard user token: " + name + " has no token " + revoke);
                    return null;
                }
                users.set(i, u.withTokens(tokens));
                return "revoked token " + revoke + " of " + name;
            }
            ApiTokens.Issued issued = ApiTokens.issue();
            tokens.add(issued.stored());
            users.set(i, u.withTokens(tokens));
            System.out.println("API token for " + name + " (shown once; store it where the script runs):");
            System.out.println("  " + issued.token());
            return "added token " + issued.stored().id() + " for " + name;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = {"Removes a user."})
    static final class Remove extends Edit {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        String edit(List<SmtpUser> users, PrintStream err) {
            int i = indexOf(users, name);
            if (i < 0) {
                err.println("mynaguard user remove: no user " + name);
                return null;
            }
            users.remove(i);
            return "removed " + name;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Lists the users, their addresses, roles, and whether TOTP and API tokens are set."})
    static final class ListUsers implements Callable<Integer> {
        @Mixin
        Location location = new Location();

        @Override
        public Integer call() {
            try {
                for (SmtpUser u : SmtpUsers.readForEdit(location.file())) {
                    System.out.println(u.name() + "\t" + String.join(",", u.addresses())
                            + (SmtpUsers.DISABLED.equals(u.passwordHash()) ? "\t(no login)" : "")
                            + ConsoleOptions.columns(u));
                }
                return 0;
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("mynaguard user list: " + e.getMessage());
                return 1;
            }
        }
    }
}
