package io.mooseng.s3.handler;

import io.mooseng.s3.auth.UriEncoding;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.Tagging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Tag sets as S3 takes them (the x-amz-tagging header, a URL-encoded query string; or a
 * Tagging document) and S3's rules for them: at most 10 tags on an object and 50 on a bucket,
 * keys of 1 to 128 and values of up to 256 Unicode characters from S3's alphabet, no key twice,
 * no key in the reserved {@code aws:} prefix.
 */
final class TagSets {
    static final int MAX_OBJECT_TAGS = 10;
    static final int MAX_BUCKET_TAGS = 50;
    private static final int MAX_KEY_CHARS = 128;
    private static final int MAX_VALUE_CHARS = 256;
    private static final Pattern ALPHABET = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private TagSets() {
    }

    /** @throws io.mooseng.s3.error.S3Exception InvalidTag when the tags break a rule */
    static Map<String, String> fromHeader(String header, int max) {
        Builder tags = new Builder(max);
        if (header != null) {
            for (String pair : header.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    tags.add(UriEncoding.decodeQuery(eq < 0 ? pair : pair.substring(0, eq)),
                            eq < 0 ? "" : UriEncoding.decodeQuery(pair.substring(eq + 1)));
                }
            }
        }
        return tags.tags;
    }

    /** @throws io.mooseng.s3.error.S3Exception MalformedXML for a tag without a key or value, InvalidTag as {@link #fromHeader} */
    static Map<String, String> fromDocument(Tagging document, int max) {
        Builder tags = new Builder(max);
        if (document.tags != null) {
            for (Tagging.Tag t : document.tags) {
                if (t == null || t.key == null || t.value == null) {
                    throw S3Error.MALFORMED_XML.exception();
                }
                tags.add(t.key, t.value);
            }
        }
        return tags.tags;
    }

    private static final class Builder {
        final Map<String, String> tags = new LinkedHashMap<>();
        final int max;

        Builder(int max) {
            this.max = max;
        }

        void add(String key, String value) {
            if (tags.size() == max) {
                throw S3Error.INVALID_TAG.exception(max == MAX_OBJECT_TAGS ? "Object tags cannot be greater than " + max
                        : "Bucket tag count cannot be greater than " + max);
            }
            int keyChars = key.codePointCount(0, key.length());
            if (keyChars == 0 || keyChars > MAX_KEY_CHARS || !ALPHABET.matcher(key).matches()) {
                throw S3Error.INVALID_TAG.exception("The TagKey you have provided is invalid");
            }
            if (value.codePointCount(0, value.length()) > MAX_VALUE_CHARS || !ALPHABET.matcher(value).matches()) {
                throw S3Error.INVALID_TAG.exception("The TagValue you have provided is invalid");
            }
            if (key.regionMatches(true, 0, "aws:", 0, 4)) {
                throw S3Error.INVALID_TAG.exception("Your TagKey cannot be prefixed with aws:");
            }
            if (tags.putIfAbsent(key, value) != null) {
                throw S3Error.INVALID_TAG.exception("Cannot provide multiple Tags with the same key");
            }
        }
    }
}
