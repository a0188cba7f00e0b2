package io.mooseng.fuse;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * xattr values are bytes, S3 user metadata is text. UTF-8 values are stored as their text (S3
 * clients read them as they are); other bytes one char each behind a marker, so they come back
 * exactly.
 */
public final class XattrValue {
    private static final char BINARY = '\uFFFF';

    private XattrValue() {
    }

    public static String toText(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return BINARY + new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    public static byte[] toBytes(String text) {
        if (!text.isEmpty() && text.charAt(0) == BINARY) {
            return text.substring(1).getBytes(StandardCharsets.ISO_8859_1);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
