package jp.mynaguard.proxy.smtp;

/**
 * What {@link DataSpooler} hands the session at the end of DATA.
 *
 * @param message     the spooled message, or {@code null} when it is refused anyway (then nothing was kept)
 * @param clientBytes content bytes the client sent (after unstuffing), counted even past the limit
 * @param refusal     why the message is refused without inspection, or {@code null}
 */
record ReceivedData(SpooledMessage message, long clientBytes, SmtpReply refusal) {
}
