package io.mooseng.core.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonLinesWriterTest {
    @TempDir
    Path tmp;

    @Test
    void oneObjectPerLineWithStringsEscaped() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("key", "a\"b\\c\nd\u0001\u2028\uD83D\uDE00\uD800");
        event.put("status", 200);
        event.put("ok", true);
        event.put("error", null);
        assertEquals("{\"key\":\"a\\\"b\\\\c\\nd\\u0001\\u2028\uD83D\uDE00\\ud800\",\"status\":200,\"ok\":true,\"error\":null}\n",
                JsonLinesWriter.line(event));
    }

    @Test
    void everyEventIsWrittenOrCountedAsDropped() throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        JsonLinesWriter writer = new JsonLinesWriter(file, 4);
        for (int i = 0; i < 5000; i++) {
            writer.write(Map.of("n", i));
        }
        writer.close();
        assertEquals(5000, writer.written() + writer.dropped());
        assertEquals(writer.written(), Files.readAllLines(file).size());
        assertEquals(false, writer.write(Map.of("n", -1)), "closed: dropped");
    }
}
