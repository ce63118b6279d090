package jp.mynaguard.proxy.smtp;

/**
 * What the upstream announced in its EHLO reply.
 *
 * @param maxSize    its SIZE limit in bytes, 0 when it announced none
 * @param smtpUtf8   SMTPUTF8 supported
 * @param eightBitMime 8BITMIME supported
 */
public record UpstreamCapabilities(long maxSize, boolean smtpUtf8, boolean eightBitMime) {
    /** The outbox and unknown upstreams: no size limit of their own, 8-bit and UTF-8 accepted. */
    public static final UpstreamCapabilities PERMISSIVE = new UpstreamCapabilities(0, true, true);
}
