package jp.mynaguard.proxy.console;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses a TOTP code whose step was already used by the same user (RFC 6238 §5.2: "the verifier
 * MUST NOT accept the second attempt of the same OTP"). Remembers the last accepted step per
 * user; a code for that step or an earlier one is a replay. In memory: two gateway instances
 * each remember their own logins.
 */
final class TotpReplayGuard {
    private final ConcurrentHashMap<String, Long> lastStep = new ConcurrentHashMap<>();

    /** Records {@code step} for {@code user}; {@code false} (nothing recorded) when it is not newer than the last. */
    boolean accept(String user, long step) {
        boolean[] accepted = {false};
        lastStep.compute(user, (u, last) -> {
            if (last != null && step <= last) {
                return last;
            }
            accepted[0] = true;
            return step;
        });
        return accepted[0];
    }
}
