package jp.mynaguard.proxy.smtp;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The session's clocks. {@code IdleStateHandler} measures time since the last read, which is
 * wrong for us twice over: while we scan a message or wait for the upstream nothing is read and
 * the client is not idle, and a client dripping one byte a minute is never idle by that measure.
 * So this handler sits after the frame decoder and counts <em>frames</em> (commands, DATA
 * chunks): the idle timer runs only while the session waits for the client, and absolute
 * deadlines (greeting to MAIL, the whole DATA transfer) run regardless of activity.
 *
 * <p>On expiry it fires the {@link Timeout} as a user event for the session to answer 421.
 */
final class SessionTimeouts extends ChannelInboundHandlerAdapter {
    /** Which clock ran out. */
    enum Timeout {
        IDLE("Timeout waiting for the client"),
        MAIL_DEADLINE("Too long without sending mail"),
        DATA_DEADLINE("Message transfer took too long");

        final String text;

        Timeout(String text) {
            this.text = text;
        }
    }

    private ChannelHandlerContext ctx;
    private boolean waiting;
    private long idleNanos;
    private long lastActivity;
    private Future<?> idleCheck;
    private final Map<Timeout, Future<?>> deadlines = new EnumMap<>(Timeout.class);

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivity = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    /** The session waits for the client; it may stay silent for {@code idle} (restarts the idle clock). */
    void waitForClient(Duration idle) {
        waiting = true;
        idleNanos = idle.toNanos();
        lastActivity = System.nanoTime();
        if (idleCheck == null) {
            scheduleIdleCheck(idleNanos);
        }
    }

    /** The session is working (scan, upstream, password check): the client is not idle. */
    void working() {
        waiting = false;
    }

    void startDeadline(Timeout which, Duration after) {
        cancelDeadline(which);
        deadlines.put(which, ctx.executor().schedule(() -> expired(which), after.toNanos(), TimeUnit.NANOSECONDS));
    }

    void cancelDeadline(Timeout which) {
        Future<?> f = deadlines.remove(which);
        if (f != null) {
            f.cancel(false);
        }
    }

    private void scheduleIdleCheck(long delayNanos) {
        idleCheck = ctx.executor().schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Lazy like IdleStateHandler: one pending task, rescheduled for the remaining time instead of per frame. */
    private void checkIdle() {
        idleCheck = null;
        if (!waiting || !ctx.channel().isActive()) {
            return;
        }
        long remaining = idleNanos - (System.nanoTime() - lastActivity);
        if (remaining > 0) {
            scheduleIdleCheck(remaining);
        } else {
            expired(Timeout.IDLE);
        }
    }

    private void expired(Timeout which) {
        deadlines.remove(which);
        if (ctx.channel().isActive()) {
            ctx.fireUserEventTriggered(which);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelAll();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelAll();
    }

    private void cancelAll() {
        waiting = false;
        if (idleCheck != null) {
            idleCheck.cancel(false);
            idleCheck = null;
        }
        deadlines.values().forEach(f -> f.cancel(false));
        deadlines.clear();
    }
}
