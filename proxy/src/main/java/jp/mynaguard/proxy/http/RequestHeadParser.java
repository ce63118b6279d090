package jp.mynaguard.proxy.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The request line and header section of one HTTP/1.x request, read strictly (RFC 9112 §2-§5):
 * every line ends in CR LF (a lone LF or CR is refused: the "funky line ending" smuggling
 * family), no obs-fold continuation lines, no whitespace between a field name and its colon,
 * tokens where tokens belong, no control characters in values, HTTP/1.0 or HTTP/1.1 only.
 * Netty's own decoder is lenient on several of these for compatibility (it joins obs-fold lines,
 * and treats any Transfer-Encoding that contains "chunked" as chunked), which is right for a
 * server and wrong for a proxy whose origin may read the same bytes differently.
 */
final class RequestHeadParser {
    private final int maxRequestLine;
    private final int maxHeadBytes;
    private final int maxFields;
    /** How many bytes of the head have been looked at already (heads arrive in pieces). */
    private int scanned;
    private boolean requestLineEnded;

    RequestHeadParser(int maxRequestLine, int maxHeadBytes, int maxFields) {
        this.maxRequestLine = maxRequestLine;
        this.maxHeadBytes = maxHeadBytes;
        this.maxFields = maxFields;
    }

    /** Thrown for a head that must be refused; the connection is closed after the answer. */
    static final class HeadException extends Exception {
        private final transient RequestRejected rejection;

        HeadException(HttpResponseStatus status, String reason) {
            super(reason, null, false, false);
            this.rejection = new RequestRejected(status, reason);
        }

        RequestRejected rejection() {
            return rejection;
        }
    }

    /**
     * Reads a complete head from {@code in} and returns it, leaving {@code in} at the first body
     * byte; or returns {@code null} (consuming nothing) when the head is not complete yet.
     */
    HttpRequest parse(ByteBuf in) throws HeadException {
        skipLeadingEmptyLines(in);
        int start = in.readerIndex();
        int end = in.writerIndex();
        int limit = Math.min(end, start + maxHeadBytes);
        int i = start + scanned;
        int headEnd = -1;
        for (; i < limit; i++) {
            byte b = in.getByte(i);
            if (b == '\r') {
                if (i + 1 < end && in.getByte(i + 1) != '\n') {
                    throw bad("CR not followed by LF");
                }
            } else if (b == '\n') {
                if (i == start || in.getByte(i - 1) != '\r') {
                    throw bad("line ending without CR (lone LF)");
                }
                requestLineEnded = true;
                if (i - start >= 3 && in.getByte(i - 2) == '\n') {
                    headEnd = i + 1;
                    break;
                }
            }
            if (!requestLineEnded && i - start >= maxRequestLine) {
                throw new HeadException(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long");
            }
        }
        if (headEnd < 0) {
            if (end - start >= maxHeadBytes) {
                throw new HeadException(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request head too large");
            }
            // Look at the last bytes again next time: a CR at the end still needs its LF checked.
            scanned = Math.max(0, i - start - 3);
            return null;
        }
        requestLineEnded = false;
        scanned = 0;
        String head = in.toString(start, headEnd - start - 4, StandardCharsets.ISO_8859_1);
        in.readerIndex(headEnd);
        return build(head);
    }

    /** RFC 9112 §2.2: a server should ignore at least one empty line (CRLF) before the request line. */
    private void skipLeadingEmptyLines(ByteBuf in) throws HeadException {
        while (scanned == 0 && in.readableBytes() >= 1 && in.getByte(in.readerIndex()) == '\r') {
            if (in.readableBytes() < 2) {
                return;
            }
            if (in.getByte(in.readerIndex() + 1) != '\n') {
                throw bad("CR not followed by LF");
            }
            in.skipBytes(2);
        }
        if (scanned == 0 && in.isReadable() && in.getByte(in.readerIndex()) == '\n') {
            throw bad("line ending without CR (lone LF)");
        }
    }

    private HttpRequest build(String head) throws HeadException {
        List<String> lines = List.of(head.split("\r\n", -1));
        String[] requestLine = lines.get(0).split(" ", -1);
        if (requestLine.length != 3) {
            throw bad("request line is not METHOD SP TARGET SP VERSION");
        }
        String method = requestLine[0];
        String target = requestLine[1];
        if (!isToken(method)) {
            throw bad("invalid method");
        }
        if (target.isEmpty() || !target.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw bad("invalid request target");
        }
        HttpVersion version = switch (requestLine[2]) {
            case "HTTP/1.1" -> HttpVersion.HTTP_1_1;
            case "HTTP/1.0" -> HttpVersion.HTTP_1_0;
            default -> throw requestLine[2].startsWith("HTTP/")
                    ? new HeadException(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "only HTTP/1.0 and HTTP/1.1")
                    : bad("invalid HTTP version");
        };
        if (lines.size() - 1 > maxFields) {
            throw new HeadException(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "too many header fields");
        }
        HttpHeaders headers = new DefaultHttpHeaders(false);
        for (String line : lines.subList(1, lines.size())) {
            addField(headers, line);
        }
        if (version == HttpVersion.HTTP_1_1 && headers.getAll(HttpHeaderNames.HOST).size() != 1) {
            throw bad("HTTP/1.1 needs exactly one Host field");
        }
        if (headers.getAll(HttpHeaderNames.HOST).size() > 1) {
            throw bad("more than one Host field");
        }
        return new DefaultHttpRequest(version, HttpMethod.valueOf(method), target, headers);
    }

    static void addField(HttpHeaders headers, String line) throws HeadException {
        if (line.isEmpty()) {
            throw bad("empty header line");
        }
        char first = line.charAt(0);
        if (first == ' ' || first == '\t') {
            throw bad("obs-fold (header continuation line)");
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw bad("header line without a name and colon");
        }
        String name = line.substring(0, colon);
        if (!isToken(name)) {
            throw bad("invalid header field name");
        }
        String value = line.substring(colon + 1);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw bad("control character in a header value");
            }
        }
        headers.add(name, value.strip());
    }

    /** RFC 9110 §5.6.2 tchar. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static HeadException bad(String reason) {
        return new HeadException(HttpResponseStatus.BAD_REQUEST, reason);
    }
}
