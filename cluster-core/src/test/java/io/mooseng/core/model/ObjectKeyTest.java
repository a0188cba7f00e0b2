package io.mooseng.core.model;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ObjectKeyTest {
    @Test
    void utf8LengthIsTheLengthOfTheEncodedBytes() {
        for (String s : List.of("", "a", "é", "€", "😀", "a😀b", "\uD800", "x\uDC00", "\uDBFF\uDFFF", "\uDC00\uD800", "mixé€😀\uD83D")) {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, ObjectKey.utf8Length(s), s);
        }
    }

    @Test
    void segmentsAndPathsAreMeasuredInUtf8Bytes() {
        String longest = "é".repeat(127) + "x"; // 255 bytes in 128 chars
        assertEquals(List.of("d", longest), ObjectKey.parse("d/" + longest).segments());
        assertEquals(ErrorCode.INVALID_KEY, assertThrows(MooseException.class, () -> ObjectKey.parse("d/" + longest + "y")).code());
        String path = "d/".repeat(ObjectKey.MAX_PATH_BYTES / 2 - 1) + "é"; // exactly the limit
        assertEquals(ObjectKey.MAX_PATH_BYTES, path.getBytes(StandardCharsets.UTF_8).length);
        ObjectKey.parse(path);
        assertEquals(ErrorCode.INVALID_KEY, assertThrows(MooseException.class, () -> ObjectKey.parse(path + "x")).code());
    }
}
