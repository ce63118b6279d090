package jp.mynaguard.proxy.smtp;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

/**
 * Turns a framed command line ({@link ByteBuf} from {@link SmtpFrameDecoder}) into an
 * {@link SmtpRequest}. Lines must be valid UTF-8 (ASCII unless SMTPUTF8 is used, which the
 * session checks); anything else, including NUL and other control characters, becomes a
 * syntax error ({@link #MALFORMED}) rather than reaching the state machine.
 */
final class SmtpCommandDecoder extends MessageToMessageDecoder<ByteBuf> {
    /** Sent on when a line is not acceptable text. */
    static final Object MALFORMED = new Object() {
        @Override
        public String toString() {
            return "MALFORMED";
        }
    };

    SmtpCommandDecoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
        out.add(decode(msg));
    }

    static Object decode(ByteBuf msg) {
        boolean nonAscii = false;
        for (int i = msg.readerIndex(); i < msg.writerIndex(); i++) {
            byte b = msg.getByte(i);
            if (b < 0) {
                nonAscii = true;
            } else if (b < 0x20 && b != '\t' || b == 0x7f) {
                return MALFORMED;
            }
        }
        String line;
        if (nonAscii) {
            try {
                line = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(msg.nioBuffer()).toString();
            } catch (CharacterCodingException e) {
                return MALFORMED;
            }
        } else {
            line = msg.toString(StandardCharsets.US_ASCII);
        }
        int space = line.indexOf(' ');
        String word = space < 0 ? line : line.substring(0, space);
        String argument = space < 0 ? "" : line.substring(space + 1);
        // Verbs are ASCII letters; a non-ASCII "verb" is just unknown.
        SmtpVerb verb = word.chars().allMatch(c -> c < 0x80) ? SmtpVerb.of(word) : SmtpVerb.UNKNOWN;
        return new SmtpRequest(verb, argument, line, nonAscii);
    }
}
