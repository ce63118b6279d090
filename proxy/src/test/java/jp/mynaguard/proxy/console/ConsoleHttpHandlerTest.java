package jp.mynaguard.proxy.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import jp.mynaguard.proxy.hold.HoldState;
import jp.mynaguard.proxy.smtp.SmtpUsers;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's handlers in an {@link EmbeddedChannel} with raw HTTP bytes: CSRF on every state
 * change, the login form's double-submit token, answers in request order one at a time, a full
 * worker pool, too many pipelined requests, bad requests, the body limit and the request deadline.
 */
class ConsoleHttpHandlerTest {
    @TempDir
    Path dir;
    private TestConsole data;
    private ConsoleApp app;
    private SessionStore sessions;
    private final List<Runnable> tasks = new ArrayList<>();
    private final List<jp.mynaguard.proxy.audit.AuditEvent> audit = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        data = new TestConsole(dir);
        data.close(); // only its users file, workflow and clock: the app runs in the EmbeddedChannel here
        data.workflow.add(ConsoleTestData.approval("EMB1AAAA", TestConsole.START, "件名", ConsoleTestData.syntheticMyNumber(7)));
        sessions = new SessionStore(data.clock, ConsoleLimits.SESSION_IDLE, ConsoleLimits.SESSION_MAX, 100);
        ConsoleConfig config = ConsoleConfig.builder().listen(new java.net.InetSocketAddress("127.0.0.1", 0)).build();
        app = ConsoleServer.app(config, SmtpUsers.open(data.usersFile), data.workflow, data.policy, data.clock, sessions,
                audit::add);
    }

    private EmbeddedChannel channel(Executor workers) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new HttpServerCodec(), new SecurityHeaders(false), new RequestDeadline(Duration.ofSeconds(30)),
                new HttpServerKeepAliveHandler(), new HttpObjectAggregator(ConsoleLimits.MAX_BODY_BYTES),
                new ConsoleHttpHandler(app, workers, false));
        return ch;
    }

    private static void send(EmbeddedChannel ch, String request) {
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.UTF_8));
        ch.runPendingTasks();
    }

    /** Everything written so far, as text. */
    private static String written(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }

    private static String post(String path, String cookie, String body, String extraHeaders) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: console.test\r\nCookie: " + cookie + "\r\n" + extraHeaders
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + b.length + "\r\n\r\n" + body;
    }

    @Test
    void stateChangesNeedTheSessionsCsrfTokenAndASameOriginRequest() {
        SessionStore.Session s = sessions.create("suzuki");
        String cookie = Cookies.SESSION + "=" + s.id;
        EmbeddedChannel ch = channel(Runnable::run);

        send(ch, post("/items/EMB1AAAA/approve", cookie, "comment=ok", ""));
        String noToken = written(ch);
        assertTrue(noToken.startsWith("HTTP/1.1 403"), noToken);
        assertTrue(noToken.contains("要求を受け付けられません"));

        send(ch, post("/items/EMB1AAAA/approve", cookie, "comment=ok&csrf=" + SessionStore.randomToken(), ""));
        assertTrue(written(ch).startsWith("HTTP/1.1 403"), "another token");

        send(ch, post("/items/EMB1AAAA/approve", cookie, "comment=ok&csrf=" + s.csrfToken,
                "Origin: https://evil.example\r\n"));
        assertTrue(written(ch).startsWith("HTTP/1.1 403"), "from another site's page");
        assertEquals(HoldState.HELD, data.workflow.state("EMB1AAAA"));

        send(ch, post("/items/EMB1AAAA/approve", cookie, "comment=ok&csrf=" + s.csrfToken,
                "Origin: http://console.test\r\n"));
        String ok = written(ch);
        assertTrue(ok.startsWith("HTTP/1.1 303"), ok);
        assertEquals(HoldState.APPROVED, data.workflow.state("EMB1AAAA"));
    }

    @Test
    void theLoginFormNeedsItsDoubleSubmitToken() {
        EmbeddedChannel ch = channel(Runnable::run);
        String token = SessionStore.randomToken();
        send(ch, post("/login", Cookies.LOGIN + "=" + SessionStore.randomToken(),
                "login_token=" + token + "&username=tanaka&password=" + TestConsole.PASSWORD.replace(' ', '+'), ""));
        String refused = written(ch);
        assertTrue(refused.startsWith("HTTP/1.1 403"), refused);
        assertTrue(refused.contains("有効期限が切れました"));
        assertFalse(refused.contains(Cookies.SESSION + "="), "no session");
        assertTrue(audit.isEmpty(), "no attempt was made");

        send(ch, post("/login", Cookies.LOGIN + "=" + token,
                "login_token=" + token + "&username=tanaka&password=" + TestConsole.PASSWORD.replace(' ', '+'), ""));
        String in = written(ch);
        assertTrue(in.startsWith("HTTP/1.1 303"), in);
        assertTrue(in.toLowerCase(java.util.Locale.ROOT).contains("set-cookie: " + Cookies.SESSION + "="), in);
        assertTrue(in.contains("; HttpOnly; SameSite=Strict"), in);
        assertFalse(in.contains("Secure"), "not Secure over plain HTTP on loopback");
        assertEquals(1, audit.size());
        assertEquals("console", audit.get(0).type());
        assertEquals("login", audit.get(0).fields().get("action"));
        assertEquals("tanaka", audit.get(0).fields().get("user"));

        send(ch, post("/login", Cookies.LOGIN + "=" + token,
                "login_token=" + token + "&username=tanaka&password=wrong", ""));
        assertTrue(written(ch).startsWith("HTTP/1.1 401"));
        assertEquals("login-failed", audit.get(1).fields().get("action"), "failed logins are in the audit trail");
    }

    @Test
    void pipelinedRequestsAreAnsweredOneAtATimeInOrder() {
        EmbeddedChannel ch = channel(tasks::add);
        send(ch, "GET /login HTTP/1.1\r\nHost: x\r\n\r\nGET /assets/nothing HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(1, tasks.size(), "the second waits until the first is answered");
        tasks.remove(0).run();
        ch.runPendingTasks();
        assertTrue(written(ch).startsWith("HTTP/1.1 200"));
        assertEquals(1, tasks.size());
        tasks.remove(0).run();
        ch.runPendingTasks();
        assertTrue(written(ch).startsWith("HTTP/1.1 404"));
    }

    @Test
    void tooManyPipelinedRequestsCloseTheConnection() {
        EmbeddedChannel ch = channel(tasks::add);
        String one = "GET /login HTTP/1.1\r\nHost: x\r\n\r\n";
        send(ch, one.repeat(ConsoleLimits.MAX_PIPELINED_REQUESTS + 1));
        assertTrue(ch.isOpen(), "one in work and the limit waiting");
        send(ch, one);
        assertFalse(ch.isOpen());
    }

    @Test
    void aFullWorkerPoolAnswers503AtOnce() {
        EmbeddedChannel ch = channel(r -> {
            throw new RejectedExecutionException("full");
        });
        send(ch, "GET /login HTTP/1.1\r\nHost: x\r\n\r\n");
        String r = written(ch);
        assertTrue(r.startsWith("HTTP/1.1 503"), r);
        assertTrue(r.contains("Retry-After: 5"));
        assertTrue(r.contains("X-Frame-Options: DENY"), "security headers on every answer");
    }

    @Test
    void aMalformedRequestBehindAnotherIsAnsweredInItsTurn() {
        EmbeddedChannel ch = channel(tasks::add);
        send(ch, "GET /login HTTP/1.1\r\nHost: x\r\n\r\nGET /login HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n");
        assertNull(ch.readOutbound(), "nothing before the first answer");
        tasks.remove(0).run();
        ch.runPendingTasks();
        String both = written(ch);
        assertTrue(both.startsWith("HTTP/1.1 200") && both.indexOf("HTTP/1.1 400") > 0, both);
        assertFalse(ch.isOpen());
    }

    @Test
    void aMalformedRequestGets400AndTheConnectionCloses() {
        EmbeddedChannel ch = channel(Runnable::run);
        send(ch, "GET /login HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n");
        assertTrue(written(ch).startsWith("HTTP/1.1 400"));
        assertFalse(ch.isOpen());
    }

    @Test
    void aBodyOverTheLimitGets413Unread() {
        EmbeddedChannel ch = channel(Runnable::run);
        send(ch, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + (ConsoleLimits.MAX_BODY_BYTES + 1) + "\r\n\r\n");
        String r = written(ch);
        assertTrue(r.startsWith("HTTP/1.1 413"), r);
        assertTrue(r.contains("X-Content-Type-Options: nosniff"), r);
    }

    @Test
    void aRequestThatDoesNotArriveWholeInTimeGets408() {
        EmbeddedChannel ch = channel(Runnable::run);
        send(ch, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nusername=ta");
        assertNull(ch.readOutbound());
        ch.advanceTimeBy(29, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertNull(ch.readOutbound(), "still within the deadline");
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(written(ch).startsWith("HTTP/1.1 408"));
        assertFalse(ch.isOpen());
    }
}
