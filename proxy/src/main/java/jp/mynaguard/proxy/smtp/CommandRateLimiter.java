package jp.mynaguard.proxy.smtp;

/**
 * A token bucket per connection: {@code perSecond} commands sustained, {@code burst} at once.
 * Over the rate, the session waits for the next token before it processes the command (and reads
 * nothing meanwhile): a flood is slowed to the rate, a fast but legitimate batch sender is not cut
 * off. Not thread-safe; used on the channel's event loop only.
 */
final class CommandRateLimiter {
    private final double perNano;
    private final int burst;
    private double tokens;
    private long last;

    CommandRateLimiter(int perSecond, int burst, long nowNanos) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** How long until a token is available (0 = now). */
    long nanosUntilToken(long nowNanos) {
        double have = Math.min(burst, tokens + (nowNanos - last) * perNano);
        return have >= 1 ? 0 : (long) Math.ceil((1 - have) / perNano);
    }

    /** Takes one token; false when the client is over its rate. */
    boolean tryAcquire(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
        last = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
