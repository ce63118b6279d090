package jp.mynaguard.policy.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Comment;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;

/**
 * Renders a jsoup document as the text a reader sees, as the detector needs it: block elements
 * end lines, inline elements join without a space (digits split by {@code <span>} stay one
 * number), {@code &nbsp;} is a space, a table row is one line of TAB-separated cells. Each
 * outermost table becomes a piece of its own so that it can go out as a table segment.
 * Attribute values and comments, invisible but sent along, are collected as {@code name: value}
 * lines after the text. Script and style are skipped.
 *
 * <p>jsoup's filter walks the tree iteratively, so a deeply nested document cannot overflow the
 * stack here.
 */
final class HtmlText implements NodeFilter {
    /** A piece of rendered text; {@code table} pieces have one row per line. */
    record Piece(String text, boolean table) {
    }

    private static final Set<String> BLOCKS = Set.of("address", "article", "aside", "blockquote", "body",
            "br", "caption", "center", "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption",
            "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html",
            "legend", "li", "main", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody",
            "tfoot", "thead", "title", "tr", "ul", "textarea", "select");
    private static final Set<String> SKIPPED = Set.of("script", "style");
    private static final Set<String> SCANNED_ATTRIBUTES = Set.of("title", "alt", "value", "placeholder", "content",
            "label", "summary", "aria-label", "href", "name", "abbr", "cite");

    private final List<Piece> pieces = new ArrayList<>();
    private final StringBuilder running = new StringBuilder();
    private final StringBuilder table = new StringBuilder();
    private final StringBuilder hidden = new StringBuilder();
    private int tableDepth;
    private int cellsInRow;
    private int preDepth;

    /** The pieces of {@code root}, in document order, hidden text last. */
    static List<Piece> render(Node root) {
        HtmlText t = new HtmlText();
        org.jsoup.select.NodeTraversor.filter(t, root);
        t.flushRunning();
        if (!t.hidden.isEmpty()) {
            t.pieces.add(new Piece(t.hidden.toString(), false));
        }
        return t.pieces;
    }

    @Override
    public FilterResult head(Node node, int depth) {
        if (node instanceof TextNode) {
            appendText(((TextNode) node).getWholeText());
        } else if (node instanceof Comment) {
            hiddenLine("comment", ((Comment) node).getData());
        } else if (node instanceof Element) {
            Element e = (Element) node;
            String tag = e.normalName();
            if (SKIPPED.contains(tag)) {
                return FilterResult.SKIP_ENTIRELY;
            }
            collectAttributes(e);
            startElement(tag);
        }
        return FilterResult.CONTINUE;
    }

    @Override
    public FilterResult tail(Node node, int depth) {
        if (node instanceof Element) {
            endElement(((Element) node).normalName());
        }
        return FilterResult.CONTINUE;
    }

    private void startElement(String tag) {
        if (tag.equals("pre") || tag.equals("textarea")) {
            preDepth++;
        }
        if (tag.equals("table")) {
            if (tableDepth++ == 0) {
                flushRunning();
                cellsInRow = 0;
            } else {
                space();
            }
            return;
        }
        if (tableDepth == 1 && (tag.equals("td") || tag.equals("th"))) {
            if (cellsInRow++ > 0) {
                trimEnd(table);
                table.append('\t');
            }
        } else if (tableDepth == 1 && tag.equals("tr")) {
            endLine(table);
            cellsInRow = 0;
        } else if (BLOCKS.contains(tag) || tableDepth > 1 && isCell(tag)) {
            lineBreak();
        }
    }

    private void endElement(String tag) {
        if (tag.equals("pre") || tag.equals("textarea")) {
            preDepth--;
        }
        if (tag.equals("table")) {
            if (--tableDepth == 0) {
                endLine(table);
                if (!table.toString().isBlank()) {
                    pieces.add(new Piece(table.toString(), true));
                }
                table.setLength(0);
            } else {
                space();
            }
        } else if (tableDepth == 1 && tag.equals("tr")) {
            endLine(table);
            cellsInRow = 0;
        } else if (BLOCKS.contains(tag) && !tag.equals("br") || tableDepth > 1 && isCell(tag)) {
            lineBreak();
        }
    }

    private static boolean isCell(String tag) {
        return tag.equals("td") || tag.equals("th") || tag.equals("tr");
    }

    /** A line break in running text; inside a table cell a space, so the row stays one line. */
    private void lineBreak() {
        if (tableDepth > 0) {
            space();
        } else {
            endLine(running);
        }
    }

    private void space() {
        StringBuilder sb = current();
        if (sb.length() > 0 && !isBreak(sb.charAt(sb.length() - 1))) {
            sb.append(' ');
        }
    }

    private StringBuilder current() {
        return tableDepth > 0 ? table : running;
    }

    private void appendText(String s) {
        StringBuilder sb = current();
        boolean pre = preDepth > 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u00a0') {
                c = ' ';
            }
            if (c == '\r' || c == '\n' || c == '\t' || c == ' ' || c == '\f') {
                if (pre && tableDepth == 0 && c == '\n') {
                    sb.append('\n');
                } else if (pre && c == ' ') {
                    sb.append(' ');
                } else if (sb.length() > 0 && !isBreak(sb.charAt(sb.length() - 1))) {
                    sb.append(' ');
                }
            } else {
                sb.append(c);
            }
        }
    }

    private static boolean isBreak(char c) {
        return c == ' ' || c == '\n' || c == '\t';
    }

    private static void endLine(StringBuilder sb) {
        trimEnd(sb);
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') {
            sb.append('\n');
        }
    }

    private static void trimEnd(StringBuilder sb) {
        int n = sb.length();
        while (n > 0 && sb.charAt(n - 1) == ' ') {
            n--;
        }
        sb.setLength(n);
    }

    private void flushRunning() {
        endLine(running);
        if (!running.toString().isBlank()) {
            pieces.add(new Piece(running.toString(), false));
        }
        running.setLength(0);
    }

    private void collectAttributes(Element e) {
        for (Attribute a : e.attributes()) {
            String key = a.getKey().toLowerCase(Locale.ROOT);
            if (SCANNED_ATTRIBUTES.contains(key) || key.startsWith("data-")) {
                String v = a.getValue();
                if (key.equals("href") && (v.regionMatches(true, 0, "data:", 0, 5) || v.length() > 8192)) {
                    continue;
                }
                hiddenLine(key, v);
            }
        }
    }

    private void hiddenLine(String name, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        hidden.append(name).append(": ").append(value.strip().replace('\u00a0', ' ')).append('\n');
    }
}
