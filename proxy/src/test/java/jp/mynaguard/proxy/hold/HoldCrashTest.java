package jp.mynaguard.proxy.hold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability of {@link SqliteHoldStore#hold}, proven on a real process: a child JVM holds items
 * and is killed with SIGKILL the moment hold() has returned; a new store on the same directory
 * must still list and decrypt every item. A second test watches the child's system calls with
 * strace: the content file, its directory and the database WAL are all fsynced before hold()
 * returns (SIGKILL alone keeps the page cache, so only the syscalls show the disk was reached).
 */
class HoldCrashTest {
    private static final int ITEMS = 3;

    @TempDir
    Path dir;

    private static List<String> javaCommand(Path data) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                HoldChild.class.getName(), data.toString(), String.valueOf(ITEMS)));
    }

    /** Starts the child, waits for ITEMS "HELD" lines, kills it with SIGKILL; returns the lines. */
    private static List<String> runAndKill(List<String> command) throws Exception {
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> held = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (held.size() < ITEMS && (line = out.readLine()) != null) {
                if (line.startsWith("HELD ")) {
                    held.add(line);
                }
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(ITEMS, held.size(), "the child did not report its holds");
        return held;
    }

    @Test
    void heldItemsSurviveSigkill() throws Exception {
        Path data = dir.resolve("data");
        List<String> held = runAndKill(javaCommand(data));
        try (SqliteHoldStore store = SqliteHoldStore.open(data)) {
            assertEquals(ITEMS, store.list(100).size());
            for (String line : held) {
                String[] f = line.split(" ");
                HeldItem item = store.find(f[1]).orElseThrow();
                assertEquals(f[2], item.contentSha256());
                try (InputStream in = store.openContent(f[1])) {
                    assertArrayEquals(HoldTestData.message(f[1]), in.readAllBytes());
                }
            }
        }
    }

    @Test
    void everythingIsFsyncedBeforeHoldReturns() throws Exception {
        Path strace = Path.of("/usr/bin/strace");
        assumeTrue(Files.isExecutable(strace), "strace is not installed");
        Path data = dir.resolve("data");
        Path trace = dir.resolve("trace.txt");
        List<String> cmd = new ArrayList<>(List.of(strace.toString(), "-f", "-y", "-qq", "-o", trace.toString(),
                "-e", "trace=fsync,fdatasync,linkat,link,access,faccessat,faccessat2,newfstatat,stat,statx"));
        cmd.addAll(javaCommand(data));
        List<String> held;
        try {
            held = runAndKill(cmd);
        } catch (AssertionError e) {
            // ptrace may be forbidden (containers): then strace cannot start the child at all.
            String t = Files.exists(trace) ? Files.readString(trace) : "";
            assumeTrue(!t.isEmpty(), "strace could not trace the child JVM");
            throw e;
        }
        List<String> lines = Files.readAllLines(trace, StandardCharsets.UTF_8);
        Path content = data.resolve("hold").resolve("content").toRealPath();
        int from = 0;
        for (String h : held) {
            String ref = h.split(" ")[1];
            int marker = indexOf(lines, from, "after-hold-" + ref);
            assertTrue(marker > 0, "marker syscall for " + ref + " not traced");
            int fileSync = indexOf(lines, from, "fsync(", content + "/.hold-");
            int link = indexOf(lines, fileSync, "link", ref + ".bin");
            // Not "...>)": a syscall interrupted by another thread's is printed as "fsync(3</dir> <unfinished ...>".
            int dirSync = indexOf(lines, link, "fsync(", "<" + content + ">");
            int walSync = indexOf(lines, dirSync, "sync(", "hold.db-wal>");
            assertTrue(fileSync >= 0 && fileSync < link, "content file fsynced before it got its name: " + ref);
            assertTrue(link < dirSync, "content directory fsynced after the name was added: " + ref);
            assertTrue(dirSync < walSync, "database commit synced after the content: " + ref);
            assertTrue(walSync < marker, "all of it before hold() returned: " + ref);
            from = marker;
        }
    }

    /** First line at or after {@code from} containing all {@code parts}; -1 when none. */
    private static int indexOf(List<String> lines, int from, String... parts) {
        for (int i = Math.max(0, from); i < lines.size(); i++) {
            String l = lines.get(i);
            boolean all = true;
            for (String p : parts) {
                all &= l.contains(p);
            }
            if (all) {
                return i;
            }
        }
        return -1;
    }
}
