package jp.mynaguard.policy.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Who sends what to whom, over which channel: everything about a message or upload that the
 * policy looks at besides the findings. Built once per message by the SMTP session or the HTTP
 * proxy; addresses, domains and host names are folded to lower case here, once, so evaluation
 * compares without allocating.
 */
public final class Envelope {
    private final Channel channel;
    private final String sender;
    private final String authenticatedUser;
    private final List<String> recipients;
    private final String[] recipientDomains;
    private final String httpHost;
    private final String httpMethod;
    private final String httpPath;
    private final long size;
    private final List<Attachment> attachments;
    private final String[] foldedAttachmentNames;

    /**
     * An attached file or uploaded file part.
     *
     * @param name        file name as sent, e.g. {@code 給与.xlsx} (may be empty)
     * @param contentType declared media type, lower case, without parameters (may be empty)
     */
    public record Attachment(String name, String contentType) {
        public Attachment {
            name = name == null ? "" : name;
            contentType = contentType == null ? "" : stripParameters(contentType).toLowerCase(Locale.ROOT);
        }

        private static String stripParameters(String type) {
            int semi = type.indexOf(';');
            return (semi < 0 ? type : type.substring(0, semi)).trim();
        }
    }

    private Envelope(Builder b) {
        this.channel = Objects.requireNonNull(b.channel, "channel");
        this.sender = lower(b.sender);
        this.authenticatedUser = lower(b.authenticatedUser);
        this.recipients = List.copyOf(b.recipients);
        this.recipientDomains = new String[recipients.size()];
        for (int i = 0; i < recipientDomains.length; i++) {
            recipientDomains[i] = domainOf(recipients.get(i));
        }
        this.httpHost = lower(b.httpHost);
        this.httpMethod = b.httpMethod == null ? null : b.httpMethod.toUpperCase(Locale.ROOT);
        this.httpPath = b.httpPath;
        this.size = b.size;
        this.attachments = List.copyOf(b.attachments);
        this.foldedAttachmentNames = new String[attachments.size()];
        for (int i = 0; i < foldedAttachmentNames.length; i++) {
            foldedAttachmentNames[i] = attachments.get(i).name().toLowerCase(Locale.ROOT);
        }
    }

    public static Builder smtp() {
        return new Builder(Channel.SMTP);
    }

    public static Builder http() {
        return new Builder(Channel.HTTP);
    }

    private static String lower(String s) {
        return s == null || s.isBlank() ? null : s.trim().toLowerCase(Locale.ROOT);
    }

    /** The part after the last {@code @}, or the whole string when there is none. */
    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(at + 1);
    }

    public Channel channel() {
        return channel;
    }

    /** SMTP envelope sender (MAIL FROM) or the From address, lower case; {@code null} if none. */
    public String sender() {
        return sender;
    }

    /** SMTP AUTH or proxy authentication user name, lower case; {@code null} if not authenticated. */
    public String authenticatedUser() {
        return authenticatedUser;
    }

    /** Envelope recipients (RCPT TO), lower case. Empty for uploads. */
    public List<String> recipients() {
        return recipients;
    }

    String recipientDomain(int i) {
        return recipientDomains[i];
    }

    /** Destination host of an upload, lower case; {@code null} for mail. */
    public String httpHost() {
        return httpHost;
    }

    /** Upper case, e.g. {@code POST}; {@code null} for mail. */
    public String httpMethod() {
        return httpMethod;
    }

    /** Path of the request URL without the query, e.g. {@code /upload}; {@code null} for mail. */
    public String httpPath() {
        return httpPath;
    }

    /** Size of the whole message or request body in bytes; 0 when unknown. */
    public long size() {
        return size;
    }

    public List<Attachment> attachments() {
        return attachments;
    }

    /** The i-th attachment's name in lower case, folded once at build time. */
    String attachmentNameFolded(int i) {
        return foldedAttachmentNames[i];
    }

    @Override
    public String toString() {
        return channel == Channel.SMTP
                ? "smtp from=" + sender + " user=" + authenticatedUser + " to=" + recipients + " size=" + size
                : "http " + httpMethod + " " + httpHost + httpPath + " user=" + authenticatedUser + " size=" + size;
    }

    public static final class Builder {
        private final Channel channel;
        private String sender;
        private String authenticatedUser;
        private final List<String> recipients = new ArrayList<>();
        private String httpHost;
        private String httpMethod;
        private String httpPath;
        private long size;
        private final List<Attachment> attachments = new ArrayList<>();

        private Builder(Channel channel) {
            this.channel = channel;
        }

        public Builder sender(String address) {
            this.sender = address;
            return this;
        }

        public Builder authenticatedUser(String user) {
            this.authenticatedUser = user;
            return this;
        }

        public Builder recipient(String address) {
            String folded = lower(address);
            if (folded != null) {
                recipients.add(folded);
            }
            return this;
        }

        public Builder recipients(Iterable<String> addresses) {
            for (String a : addresses) {
                recipient(a);
            }
            return this;
        }

        public Builder httpHost(String host) {
            this.httpHost = host;
            return this;
        }

        public Builder httpMethod(String method) {
            this.httpMethod = method;
            return this;
        }

        public Builder httpPath(String path) {
            this.httpPath = path;
            return this;
        }

        public Builder size(long bytes) {
            this.size = bytes;
            return this;
        }

        public Builder attachment(String name, String contentType) {
            attachments.add(new Attachment(name, contentType));
            return this;
        }

        public Envelope build() {
            return new Envelope(this);
        }
    }
}
