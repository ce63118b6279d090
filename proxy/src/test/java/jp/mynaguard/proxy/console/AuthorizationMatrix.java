package jp.mynaguard.proxy.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import java.time.Instant;

import jp.mynaguard.proxy.hold.Actor;
import jp.mynaguard.proxy.hold.HoldState;
import jp.mynaguard.proxy.hold.HoldWorkflow;
import jp.mynaguard.proxy.hold.Role;
import jp.mynaguard.proxy.smtp.PasswordHash;
import jp.mynaguard.proxy.smtp.SmtpUser;
import jp.mynaguard.proxy.smtp.SmtpUsers;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every role × every console action (page and API) × the item's relation to the user: their own
 * (they sent it), assigned (it names them as approver), another's. Each cell is the expected HTTP
 * status, written out by hand below (not computed by the code under test), and each refusal must
 * leave the item as it was. Real HTTP over loopback: a logged-in session per user for the pages,
 * the user's API token for the API. Run over each workflow implementation by its subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuthorizationMatrix {
    /** A workflow implementation with a way to hold a fresh approval item in it. */
    interface Backend extends AutoCloseable {
        HoldWorkflow workflow();

        void approval(String ref, String sender, String approver, Instant received, byte[] content) throws Exception;

        @Override
        void close() throws Exception;
    }

    /** Who checks states and histories behind the console's back. */
    private static final Actor INSPECTOR = new Actor("matrix-inspector", "inspector@example.co.jp", Set.of(Role.ADMIN));

    abstract Backend backend(Path dir, MutableClock clock) throws Exception;

    /** One user per role; every user is also a sender. */
    private static final Map<String, Set<Role>> ROLES = new LinkedHashMap<>();

    static {
        ROLES.put("sender", Set.of());
        ROLES.put("approver", Set.of(Role.APPROVER));
        ROLES.put("admin", Set.of(Role.ADMIN));
        ROLES.put("auditor", Set.of(Role.AUDITOR));
        ROLES.put("reveal", Set.of(Role.REVEAL));
    }

    private static final List<String> RELATIONS = List.of("own", "assigned", "other");

    /**
     * Item actions: expected page status per role, as "own/assigned/other"; 303 is a page action's
     * success (redirect to the item), the API answers 200 for it. Being named as approver makes an
     * item visible only with the approver role: for a plain sender or a reveal-only user an
     * "assigned" item does not exist (404).
     */
    private static final String[][] ITEM_ACTIONS = {
        // action     sender         approver       admin          auditor        reveal
        {"detail",  "200/404/404", "200/200/404", "200/200/200", "200/200/200", "200/404/404"},
        {"approve", "403/403/403", "403/303/404", "403/303/303", "403/403/403", "403/403/403"},
        {"reject",  "403/403/403", "403/303/404", "403/303/303", "403/403/403", "403/403/403"},
        {"cancel",  "303/404/404", "303/403/404", "303/403/403", "303/403/403", "303/404/404"},
        {"reveal",  "403/403/403", "403/403/403", "403/403/403", "403/403/403", "200/404/404"},
    };

    /** Actions on no particular item: expected status per role. */
    private static final String[][] OTHER_ACTIONS = {
        // action          sender approver admin auditor reveal
        {"mine",           "200", "200", "200", "200", "200"},
        {"awaiting",       "403", "200", "200", "403", "403"},
        {"search",         "403", "403", "200", "200", "403"},
        {"policy",         "403", "403", "200", "200", "403"},
        {"policy-reload",  "403", "403", "303", "403", "403"},
        {"users",          "403", "403", "200", "200", "403"},
        {"audit",          "403", "403", "200", "200", "403"},
    };

    private MutableClock clock;
    private Backend backend;
    private ConsoleServer server;
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private final Map<String, HttpSession> sessions = new LinkedHashMap<>();
    private int items;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        clock = new MutableClock(TestConsole.START);
        backend = backend(dir.resolve("store"), clock);
        List<SmtpUser> users = new ArrayList<>();
        for (Map.Entry<String, Set<Role>> e : ROLES.entrySet()) {
            ApiTokens.Issued t = ApiTokens.issue();
            tokens.put(e.getKey(), t.token());
            users.add(new SmtpUser(e.getKey(), PasswordHash.create(TestConsole.PASSWORD.toCharArray(), 1000),
                    List.of(address(e.getKey())), e.getValue(), null, List.of(t.stored())));
        }
        users.add(new SmtpUser("someone", SmtpUsers.DISABLED, List.of(address("someone"))));
        Path file = dir.resolve("users");
        SmtpUsers.write(file, users);
        server = ConsoleServer.builder(ConsoleConfig.builder().listen(new java.net.InetSocketAddress("127.0.0.1", 0))
                        .build())
                .users(SmtpUsers.open(file)).workflow(backend.workflow()).policy(new TestConsole.TestPolicy()).clock(clock)
                .start();
        for (String user : ROLES.keySet()) {
            HttpSession s = new HttpSession(server.url());
            assertEquals(303, s.login(user, TestConsole.PASSWORD, null).statusCode(), user);
            sessions.put(user, s);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static String address(String user) {
        return user + "@example.co.jp";
    }

    /** A fresh held approval item whose relation to {@code user} is {@code relation}. */
    private String item(String user, String relation) throws Exception {
        String ref = String.format("MX%06d", ++items);
        String sender = relation.equals("own") ? address(user) : address("someone");
        String approver = relation.equals("assigned") ? address(user) : "boss@example.co.jp";
        backend.approval(ref, sender, approver, clock.instant().minus(Duration.ofMinutes(items)),
                ConsoleTestData.message("件名", ConsoleTestData.syntheticMyNumber(items)));
        return ref;
    }

    @TestFactory
    List<DynamicTest> itemActions() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] row : ITEM_ACTIONS) {
            List<String> roles = new ArrayList<>(ROLES.keySet());
            for (int r = 0; r < roles.size(); r++) {
                String[] expected = row[r + 1].split("/");
                for (int k = 0; k < RELATIONS.size(); k++) {
                    String user = roles.get(r);
                    String relation = RELATIONS.get(k);
                    int page = Integer.parseInt(expected[k]);
                    String action = row[0];
                    tests.add(DynamicTest.dynamicTest(user + " " + action + " " + relation + " page -> " + page,
                            () -> itemCase(user, action, relation, page, false)));
                    int api = page == 303 ? 200 : page;
                    tests.add(DynamicTest.dynamicTest(user + " " + action + " " + relation + " api -> " + api,
                            () -> itemCase(user, action, relation, api, true)));
                }
            }
        }
        return tests;
    }

    private void itemCase(String user, String action, String relation, int expected, boolean api) throws Exception {
        String ref = item(user, relation);
        HttpSession s = sessions.get(user);
        HttpResponse<String> r;
        if (api) {
            r = action.equals("detail") ? s.api("GET", "/api/v1/items/" + ref, tokens.get(user), null)
                    : s.api("POST", "/api/v1/items/" + ref + "/" + action, tokens.get(user), "{\"comment\":\"matrix\"}");
        } else {
            r = action.equals("detail") ? s.get("/items/" + ref)
                    : s.post("/items/" + ref + "/" + action, Map.of("comment", "matrix"));
        }
        assertEquals(expected, r.statusCode(), r.body());
        HoldWorkflow.ItemDetail seen = backend.workflow().detail(INSPECTOR, ref);
        HoldState after = HoldState.valueOf(seen.item().state());
        boolean changes = action.equals("approve") || action.equals("reject") || action.equals("cancel");
        boolean succeeded = expected == 200 || expected == 303;
        HoldState want = !changes || !succeeded ? HoldState.HELD : switch (action) {
            case "approve" -> HoldState.APPROVED;
            case "reject" -> HoldState.REJECTED;
            default -> HoldState.CANCELLED;
        };
        assertEquals(want, after, "state after " + action);
        boolean revealed = seen.history().stream().anyMatch(t -> t.action().equals("reveal"));
        assertEquals(action.equals("reveal") && succeeded, revealed, "a reveal is recorded exactly when it happened");
    }

    @TestFactory
    List<DynamicTest> otherActions() {
        List<DynamicTest> tests = new ArrayList<>();
        List<String> roles = new ArrayList<>(ROLES.keySet());
        for (String[] row : OTHER_ACTIONS) {
            for (int r = 0; r < roles.size(); r++) {
                String user = roles.get(r);
                int page = Integer.parseInt(row[r + 1]);
                String action = row[0];
                tests.add(DynamicTest.dynamicTest(user + " " + action + " page -> " + page,
                        () -> assertEquals(page, otherPage(user, action).statusCode())));
                int api = page == 303 ? 200 : page;
                tests.add(DynamicTest.dynamicTest(user + " " + action + " api -> " + api,
                        () -> assertEquals(api, otherApi(user, action).statusCode())));
            }
        }
        return tests;
    }

    private HttpResponse<String> otherPage(String user, String action) throws Exception {
        HttpSession s = sessions.get(user);
        return switch (action) {
            case "mine" -> s.get("/my");
            case "awaiting" -> s.get("/approvals");
            case "search" -> s.get("/admin?state=HELD");
            case "policy" -> s.get("/admin/policy");
            case "policy-reload" -> s.post("/admin/policy/reload", Map.of());
            case "users" -> s.get("/admin/users");
            case "audit" -> s.get("/admin/audit");
            default -> throw new IllegalArgumentException(action);
        };
    }

    private HttpResponse<String> otherApi(String user, String action) throws Exception {
        HttpSession s = sessions.get(user);
        String t = tokens.get(user);
        return switch (action) {
            case "mine" -> s.api("GET", "/api/v1/items/mine", t, null);
            case "awaiting" -> s.api("GET", "/api/v1/items/awaiting", t, null);
            case "search" -> s.api("GET", "/api/v1/items?state=HELD", t, null);
            case "policy" -> s.api("GET", "/api/v1/policy", t, null);
            case "policy-reload" -> s.api("POST", "/api/v1/policy/reload", t, "");
            case "users" -> s.api("GET", "/api/v1/users", t, null);
            case "audit" -> s.api("GET", "/api/v1/audit", t, null);
            default -> throw new IllegalArgumentException(action);
        };
    }
}
