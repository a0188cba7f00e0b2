package io.mooseng.s3.handler;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Header values on the wire are bytes, which the HTTP codec maps one to one onto chars.
 * User metadata is stored as the UTF-8 text those bytes spell (so the FUSE mount shows
 * readable xattrs) and turned back into the same bytes when answered.
 */
final class HeaderText {
    private HeaderText() {
    }

    /** The text of a received header value: its bytes read as UTF-8 when they are valid UTF-8. */
    static String fromWire(String wire) {
        if (isAscii(wire)) {
            return wire;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(wire.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            return wire;
        }
    }

    /** The header value to send for stored text: its UTF-8 bytes, one char each. */
    static String toWire(String text) {
        return isAscii(text) ? text : new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
