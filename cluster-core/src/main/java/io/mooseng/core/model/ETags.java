package io.mooseng.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** S3 ETags: the hex MD5 of whole content, or the multipart form for content made of parts. */
public final class ETags {
    private ETags() {
    }

    public static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by S3 ETags", e);
        }
    }

    public static String md5Hex(byte[] content) {
        return HexFormat.of().formatHex(newMd5().digest(content));
    }

    /**
     * The multipart form: the MD5 of the parts' binary MD5s, then "-" and {@code count}. A part
     * ETag that is not hex (a foreign or composite format) contributes its text.
     */
    public static String composite(List<String> partEtags, int count) {
        MessageDigest md5 = newMd5();
        for (String etag : partEtags) {
            md5.update(binary(unquote(etag)));
        }
        return HexFormat.of().formatHex(md5.digest()) + "-" + count;
    }

    /** Whether the ETag is a whole object's MD5 (a single PUT's), which any copy of the bytes must reproduce. */
    public static boolean isMd5(String etag) {
        return etag.length() == 32 && etag.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f');
    }

    public static String unquote(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static byte[] binary(String etag) {
        try {
            return HexFormat.of().parseHex(etag);
        } catch (IllegalArgumentException e) {
            return etag.getBytes(StandardCharsets.UTF_8);
        }
    }
}
