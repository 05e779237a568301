package io.shardstore.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * docs/compatibility.md's command table is what the registries and the declared syntax say. When a command or an
 * option changes, regenerate it: {@code mvn -pl cluster test -Dtest=CompatibilityDocTest -Dcompat.write=true}.
 */
class CompatibilityDocTest {
    private static final Path DOC = Path.of("..", "docs", "compatibility.md");

    @Test
    void theCommandTableIsTheCodes() throws Exception {
        String doc = Files.readString(DOC);
        int begin = doc.indexOf(CompatibilityTable.BEGIN);
        int end = doc.indexOf(CompatibilityTable.END);
        assertTrue(begin >= 0 && end > begin, "docs/compatibility.md has the generated table's markers");
        String current = doc.substring(begin, end + CompatibilityTable.END.length());
        String generated = CompatibilityTable.markdown();
        if (Boolean.getBoolean("compat.write")) {
            Files.writeString(DOC, doc.substring(0, begin) + generated + doc.substring(end + CompatibilityTable.END.length()));
            return;
        }
        assertEquals(generated, current, "docs/compatibility.md is out of date: regenerate it with -Dcompat.write=true");
    }
}
