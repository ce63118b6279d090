package jp.mynaguard.policy.extract;

import org.junit.jupiter.api.Test;
import jp.mynaguard.policy.detect.TextSegment;

class DumpTmpTest {
    @Test
    void dump() throws Exception {
        for (String n : System.getProperty("dump", "").split(",")) {
            if (n.isEmpty()) continue;
            byte[] b = n.contains(".eml:") ? DocTestSupport.emlAttachment(n.substring(0, n.indexOf(':'))) : DocTestSupport.corpus(n);
            String name = n.contains(":") ? n.substring(n.indexOf(':') + 1) : n;
            RecordingSink s = DocTestSupport.extract(name, b);
            System.out.println("=== " + n);
            for (TextSegment seg : s.segments) {
                System.out.println("--- " + seg.location() + " table=" + seg.table() + " padded=" + java.util.Arrays.toString(seg.paddedNumericCells()) + " locate(1,1)=" + seg.locate(1, 1));
                System.out.println(seg.text().toString().replace("\t", "→"));
            }
            System.out.println("unscannable: " + s.unscannables);
        }
    }
}
