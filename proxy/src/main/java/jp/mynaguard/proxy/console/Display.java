package jp.mynaguard.proxy.console;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import jp.mynaguard.proxy.hold.HoldKind;
import jp.mynaguard.proxy.hold.HoldState;

/** How values read on a page: local times, sizes, state and kind names in the page's language. */
final class Display {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private final ZoneId zone;

    Display(ZoneId zone) {
        this.zone = zone;
    }

    ZoneId zone() {
        return zone;
    }

    String time(Instant t) {
        return t == null ? "-" : TIME.format(t.atZone(zone));
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }

    /** A state name in the page's language; an unknown one (a newer store) as it is. */
    static String state(Lang lang, String state) {
        try {
            return lang.t("state." + HoldState.valueOf(state).name());
        } catch (IllegalArgumentException | NullPointerException e) {
            return String.valueOf(state);
        }
    }

    static String kind(Lang lang, HoldKind kind) {
        return kind == null ? "-" : lang.t("kind." + kind.name());
    }

    /** A history action ("approve", "reveal"...) in the page's language when known. */
    static String action(Lang lang, String action) {
        String key = "action." + String.valueOf(action).toLowerCase(Locale.ROOT);
        return lang.keys().contains(key) ? lang.t(key) : String.valueOf(action);
    }

    /** CSS class of a state badge. */
    static String stateClass(String state) {
        return "state state-" + String.valueOf(state).toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    }
}
