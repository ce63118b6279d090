package jp.mynaguard.proxy.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A piece of message content between {@code 354} and the final dot, as it is to be stored:
 * dot-unstuffed, line ends CRLF. Emitted by {@link SmtpFrameDecoder}, consumed by {@link DataSpooler}.
 */
final class DataChunk extends DefaultByteBufHolder {
    DataChunk(ByteBuf content) {
        super(content);
    }
}
