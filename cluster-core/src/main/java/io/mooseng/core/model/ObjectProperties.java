package io.mooseng.core.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a client says about an object's content when writing it.
 *
 * @param contentType     MIME type (null: application/octet-stream is answered)
 * @param contentHeaders  other content headers kept verbatim, lower-case names:
 *                        content-encoding, content-disposition, content-language,
 *                        cache-control, expires, and S3's x-amz-website-redirect-location
 * @param userMetadata    x-amz-meta-* without the prefix, lower-case names
 * @param tags            the object's tag set (S3 object tagging), names as given
 * @param lock            the version's S3 Object Lock retention and legal hold ({@link ObjectLock#NONE} for none)
 */
public record ObjectProperties(String contentType, Map<String, String> contentHeaders, Map<String, String> userMetadata,
                               Map<String, String> tags, ObjectLock lock) {
    public static final ObjectProperties EMPTY = new ObjectProperties(null, Map.of(), Map.of());

    public ObjectProperties {
        contentHeaders = java.util.Collections.unmodifiableMap(new TreeMap<>(contentHeaders));
        userMetadata = java.util.Collections.unmodifiableMap(new TreeMap<>(userMetadata));
        tags = java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
        java.util.Objects.requireNonNull(lock, "lock");
    }

    public ObjectProperties(String contentType, Map<String, String> contentHeaders, Map<String, String> userMetadata,
                            Map<String, String> tags) {
        this(contentType, contentHeaders, userMetadata, tags, ObjectLock.NONE);
    }

    public ObjectProperties(String contentType, Map<String, String> contentHeaders, Map<String, String> userMetadata) {
        this(contentType, contentHeaders, userMetadata, Map.of());
    }

    public ObjectProperties withUserMetadata(Map<String, String> metadata) {
        return new ObjectProperties(contentType, contentHeaders, metadata, tags, lock);
    }

    /** Sets, or with null removes, one of the kept content headers. */
    public ObjectProperties withContentHeader(String name, String value) {
        Map<String, String> headers = new TreeMap<>(contentHeaders);
        if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, value);
        }
        return new ObjectProperties(contentType, headers, userMetadata, tags, lock);
    }

    public ObjectProperties withTags(Map<String, String> tagSet) {
        return new ObjectProperties(contentType, contentHeaders, userMetadata, tagSet, lock);
    }

    public ObjectProperties withLock(ObjectLock objectLock) {
        return new ObjectProperties(contentType, contentHeaders, userMetadata, tags, objectLock);
    }
}
