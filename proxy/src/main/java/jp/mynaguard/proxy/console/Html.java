package jp.mynaguard.proxy.console;

import jp.mynaguard.proxy.hold.MetadataMask;

/**
 * A page being written. {@link #raw} takes markup written in this package (string literals);
 * everything from a user, a message or the store goes through {@link #text} or {@link #attr},
 * which escape it, and through {@link MetadataMask} first: a subject or a comment could carry a
 * number, and no page but the reveal shows one.
 */
final class Html {
    private final StringBuilder sb = new StringBuilder(8192);

    Html raw(String markup) {
        sb.append(markup);
        return this;
    }

    /** Element text: masked, then escaped. */
    Html text(String s) {
        sb.append(escape(MetadataMask.mask(s)));
        return this;
    }

    /** Revealed content only: escaped but not masked. */
    Html revealedText(CharSequence s) {
        sb.append(escape(s));
        return this;
    }

    /** An attribute value (inside double quotes): masked and escaped. */
    Html attr(String s) {
        sb.append(escape(MetadataMask.mask(s)));
        return this;
    }

    /** {@code <tag class="cls">text</tag>}. */
    Html el(String tag, String cls, String text) {
        sb.append('<').append(tag);
        if (cls != null) {
            sb.append(" class=\"").append(cls).append('"');
        }
        sb.append('>');
        text(text);
        return raw("</" + tag + ">");
    }

    /** A hidden form field with the session's CSRF token. */
    Html csrf(String token) {
        return raw("<input type=\"hidden\" name=\"csrf\" value=\"").attr(token).raw("\">");
    }

    static String escape(CharSequence s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
