package jp.mynaguard.proxy.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Both languages have every text, and no text carries a 12-digit run. */
class ConsoleMessagesTest {
    @Test
    void japaneseAndEnglishHaveTheSameKeys() {
        assertEquals(new TreeSet<>(Lang.JA.keys()), new TreeSet<>(Lang.EN.keys()));
    }

    @Test
    void textsHaveNoLongDigitRunsAndTheJapaneseIsJapanese() {
        Pattern run = Pattern.compile("[0-9]{12}");
        for (Lang l : Lang.values()) {
            for (String k : l.keys()) {
                assertFalse(run.matcher(l.t(k)).find(), k);
            }
        }
        assertEquals("ログイン", Lang.JA.t("login.title"));
        assertEquals("Log in", Lang.EN.t("login.title"));
    }
}
