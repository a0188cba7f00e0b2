package io.mooseng.s3.auth;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Header values on the wire are bytes, which the HTTP codec maps one to one onto chars.
 * Clients send non-ASCII text either as its UTF-8 bytes or, as HTTP/1.1 libraries that only
 * speak ISO-8859-1 do (the SDK's Apache client), one byte per char; SDKs sign the text's
 * UTF-8 either way. So the text of a value is its bytes read as UTF-8 when they are valid
 * UTF-8, else as ISO-8859-1: the signature is checked over that text, and user metadata is
 * stored as it (so the FUSE mount shows readable xattrs). S3 answers non-ASCII metadata as
 * RFC 2047 encoded words and decodes such words it receives; so does MooseNG.
 */
public final class HeaderText {
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?UTF-8\\?([BbQq])\\?([^?\\s]*)\\?=", Pattern.CASE_INSENSITIVE);

    private HeaderText() {
    }

    /** The text of a received header value: its bytes read as UTF-8 when they are valid UTF-8. */
    public static String fromWire(String wire) {
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
    public static String toWire(String text) {
        return isAscii(text) ? text : new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /**
     * Stored text as S3 answers user metadata: as is when printable ASCII, else one RFC 2047
     * encoded word ({@code =?UTF-8?B?...?=}), which every HTTP client passes through intact.
     */
    public static String toEncodedWord(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c >= 0x7F) {
                return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
            }
        }
        return text;
    }

    /**
     * The text of user metadata as S3 stores it: a value that is one UTF-8 encoded word
     * ({@code =?UTF-8?B?...?=} or {@code =?UTF-8?Q?...?=}) is decoded, so that a client that
     * encodes non-ASCII text itself (the only way an SDK can send it whole) stores the text;
     * any other value is kept as it is.
     */
    public static String fromEncodedWord(String value) {
        Matcher m = ENCODED_WORD.matcher(value.trim());
        if (!m.matches()) {
            return value;
        }
        try {
            byte[] bytes = m.group(1).equalsIgnoreCase("B") ? Base64.getDecoder().decode(m.group(2)) : quotedPrintable(m.group(2));
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return value;
        }
    }

    /** RFC 2047's Q encoding: '_' is a space, =XX a byte. */
    private static byte[] quotedPrintable(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '=' && i + 2 < text.length()) {
                out.write(HexFormat.fromHexDigits(text, i + 1, i + 3));
                i += 2;
            } else if (c == '=') {
                throw new IllegalArgumentException("truncated =XX");
            } else {
                out.write(c == '_' ? ' ' : c);
            }
        }
        return out.toByteArray();
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
