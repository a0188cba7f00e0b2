package io.mooseng.core.model;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;

import java.util.List;

/**
 * An S3 key read as a path in its bucket's tree. The rules, shared by S3 and FUSE:
 * segments are separated by '/'; a key ending in '/' is a directory marker; empty
 * segments ("a//b", "/a"), "." and "..", NUL, segments over 255 bytes and paths over
 * {@value #MAX_PATH_BYTES} bytes are refused, so no key can name anything outside
 * its bucket. S3 writes keys of at most {@value #MAX_KEY_BYTES} bytes; the mount's deeper
 * paths are listed and read over S3 like any other key.
 */
public record ObjectKey(String key, List<String> segments, boolean directoryMarker) {
    /** The longest key an S3 client may write. */
    public static final int MAX_KEY_BYTES = 1024;
    /**
     * The longest key in the namespace: PATH_MAX bounds one call's path, not a tree's depth (a
     * process may chdir down and go on), so the mount's paths may reach four times that.
     */
    public static final int MAX_PATH_BYTES = 16384;
    public static final int MAX_SEGMENT_BYTES = 255;

    public ObjectKey {
        segments = List.copyOf(segments);
    }

    public static ObjectKey parse(String key) {
        if (key == null || key.isEmpty()) {
            throw invalid(key, "empty key");
        }
        if (utf8Length(key) > MAX_PATH_BYTES) {
            throw invalid(key, "key longer than " + MAX_PATH_BYTES + " bytes");
        }
        if (key.indexOf('\0') >= 0) {
            throw invalid(key, "key contains NUL");
        }
        boolean marker = key.endsWith("/");
        String path = marker ? key.substring(0, key.length() - 1) : key;
        String[] parts = path.split("/", -1);
        for (String s : parts) {
            if (s.isEmpty()) {
                throw invalid(key, "empty path segment");
            }
            if (s.equals(".") || s.equals("..")) {
                throw invalid(key, "'.' and '..' segments are not allowed");
            }
            if (utf8Length(s) > MAX_SEGMENT_BYTES) {
                throw invalid(key, "path segment longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
        }
        return new ObjectKey(key, List.of(parts), marker);
    }

    /**
     * {@code s.getBytes(UTF_8).length} without encoding it (an unpaired surrogate is encoded as
     * '?'): every key and every name from the mount is measured against the limits.
     */
    public static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (!Character.isSurrogate(c)) {
                n += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n++;
            }
        }
        return n;
    }

    /** The last segment: the file or directory name. */
    public String name() {
        return segments.get(segments.size() - 1);
    }

    private static MooseException invalid(String key, String why) {
        return new MooseException(ErrorCode.INVALID_KEY, why + ": " + (key == null ? "null" : key.replace("\0", "\\0")));
    }
}
