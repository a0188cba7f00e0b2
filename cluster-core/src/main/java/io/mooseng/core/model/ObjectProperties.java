package io.mooseng.core.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a client says about an object's content when writing it.
 *
 * @param contentType     MIME type (null: application/octet-stream is answered)
 * @param contentHeaders  other content headers kept verbatim, lower-case names:
 *                        content-encoding, content-disposition, content-language,
 *                        cache-control, expires
 * @param userMetadata    x-amz-meta-* without the prefix, lower-case names
 */
public record ObjectProperties(String contentType, Map<String, String> contentHeaders, Map<String, String> userMetadata) {
    public static final ObjectProperties EMPTY = new ObjectProperties(null, Map.of(), Map.of());

    public ObjectProperties {
        contentHeaders = java.util.Collections.unmodifiableMap(new TreeMap<>(contentHeaders));
        userMetadata = java.util.Collections.unmodifiableMap(new TreeMap<>(userMetadata));
    }
}
