package io.mooseng.metadata.store;

/**
 * Compares strings in unsigned UTF-8 byte order, S3's key order, without encoding them:
 * code point order is the same order. {@link String#compareTo} is not (it compares UTF-16
 * units, so a supplementary character sorts before U+E000..U+FFFF).
 */
final class Utf8Order {
    private Utf8Order() {
    }

    static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
