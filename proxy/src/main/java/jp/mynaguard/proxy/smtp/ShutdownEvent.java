package jp.mynaguard.proxy.smtp;

/** Fired at every session by {@link SmtpServer#stop}. */
enum ShutdownEvent {
    /** Finish the open transaction, then say 421; idle sessions get 421 at once. */
    GRACEFUL,
    /** The grace period is over: 421 now, whatever the session is doing. */
    NOW
}
