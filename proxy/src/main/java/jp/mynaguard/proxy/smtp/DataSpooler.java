package jp.mynaguard.proxy.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes DATA content to a {@link MessageSpool}, after our {@code Received:} header, and adds a
 * {@code Message-ID:} at the end of the header section when the message has none (kept for the
 * audit trail). Counts the real size: past the limit it keeps reading but stops storing, and the
 * session answers {@code 552 5.3.4} at the final dot (SIZE= may lie or be absent, RFC 1870).
 * Emits one {@link ReceivedData} per message.
 */
final class DataSpooler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(DataSpooler.class);
    private static final byte[] MESSAGE_ID = "message-id:".getBytes(StandardCharsets.US_ASCII);
    static final SmtpReply TOO_LARGE = SmtpReply.of(552, "5.3.4", "Message size exceeds fixed maximum message size");
    static final SmtpReply SPOOL_FAILED = SmtpReply.of(451, "4.3.0", "Temporary local problem, try again later");

    private final int threshold;
    private final java.nio.file.Path directory;

    private MessageSpool spool;
    private long maxSize;
    private long clientBytes;
    private IOException failure;
    private byte[] messageIdLine;

    // Header section tracking (the content is CRLF-normalised by the frame decoder).
    private boolean inHeaders;
    private boolean atLineStart;
    private int idMatch;
    private boolean sawMessageId;
    private boolean pendingCr;
    private long headerBytes;

    DataSpooler(int threshold, java.nio.file.Path directory) {
        this.threshold = threshold;
        this.directory = directory;
    }

    /**
     * Starts a message.
     *
     * @param prefix        written first, not counted against {@code maxSize} (our Received: header)
     * @param messageIdLine a complete {@code Message-ID: <…>\r\n} line to add when the message has none
     */
    void begin(byte[] prefix, byte[] messageIdLine, long maxSize) {
        closeSpool();
        this.spool = new MessageSpool(threshold, directory);
        this.maxSize = maxSize;
        this.messageIdLine = messageIdLine;
        this.clientBytes = 0;
        this.failure = null;
        this.inHeaders = true;
        this.atLineStart = true;
        this.idMatch = 0;
        this.sawMessageId = false;
        this.pendingCr = false;
        this.headerBytes = 0;
        try {
            spool.write(prefix);
        } catch (IOException e) {
            failure = e;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DataChunk chunk) {
            try {
                append(chunk.content());
            } finally {
                chunk.release();
            }
        } else if (msg instanceof DataEnd end) {
            ctx.fireChannelRead(finish(end));
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void append(ByteBuf content) {
        clientBytes += content.readableBytes();
        if (spool == null || failure != null || clientBytes > maxSize) {
            if (clientBytes > maxSize) {
                closeSpool();
            }
            return;
        }
        try {
            if (inHeaders) {
                trackHeaders(content);
            } else {
                spool.write(content);
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Copies {@code content} and inserts the Message-ID line before the empty line that ends the header section. */
    private void trackHeaders(ByteBuf content) throws IOException {
        int from = content.readerIndex();
        int end = content.writerIndex();
        for (int i = from; i < end && inHeaders; i++) {
            byte b = content.getByte(i);
            if (pendingCr) {
                pendingCr = false;
                if (b == '\n') {
                    endOfHeaders();
                    spool.write(new byte[] {'\r', '\n'});
                    from = i + 1;
                    continue;
                }
                spool.write(new byte[] {'\r'});
            }
            if (atLineStart && b == '\r') {
                // Possibly the empty line ending the headers: hold the CR back until the next byte.
                spool.write(content.slice(from, i - from));
                pendingCr = true;
                from = i + 1;
                continue;
            }
            if (atLineStart) {
                idMatch = 0;
            }
            if (idMatch >= 0 && idMatch < MESSAGE_ID.length) {
                byte lower = b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
                idMatch = lower == MESSAGE_ID[idMatch] ? idMatch + 1 : -1;
                if (idMatch == MESSAGE_ID.length) {
                    sawMessageId = true;
                }
            }
            atLineStart = b == '\n';
            if (++headerBytes > SmtpLimits.MAX_HEADER_BYTES) {
                // Not a header section worth tracking; leave the message as it is.
                inHeaders = false;
            }
        }
        if (from < end) {
            spool.write(content.slice(from, end - from));
        }
    }

    private void endOfHeaders() throws IOException {
        inHeaders = false;
        if (!sawMessageId && messageIdLine != null) {
            spool.write(messageIdLine);
        }
    }

    private ReceivedData finish(DataEnd end) {
        try {
            if (end.error() != null) {
                return new ReceivedData(null, clientBytes, end.error().reply());
            }
            if (clientBytes > maxSize) {
                return new ReceivedData(null, clientBytes, TOO_LARGE);
            }
            if (spool == null) {
                // DATA content without begin(): a programming error, but never a 250.
                return new ReceivedData(null, clientBytes, SPOOL_FAILED);
            }
            if (failure == null) {
                try {
                    if (pendingCr) {
                        spool.write(new byte[] {'\r'});
                    }
                    if (inHeaders && atLineStart && headerBytes > 0) {
                        // A message that is all headers: the Message-ID goes at the end.
                        endOfHeaders();
                    }
                    return new ReceivedData(spool.finish(), clientBytes, null);
                } catch (IOException e) {
                    failure = e;
                }
            }
            log.error("cannot spool a message: {}", failure.toString());
            return new ReceivedData(null, clientBytes, SPOOL_FAILED);
        } finally {
            closeSpool();
        }
    }

    private void closeSpool() {
        if (spool != null) {
            spool.close();
            spool = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeSpool();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        closeSpool();
    }
}
