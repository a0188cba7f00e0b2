package io.mooseng.core.model;

import java.util.List;

/**
 * One rule of a bucket's CORS configuration, as S3 keeps it: which origins may send which
 * methods and headers, what the browser may read of the answer, and how long it may cache
 * a preflight answer.
 *
 * @param id             the rule's name, or null
 * @param allowedOrigins origins, each with at most one '*' wildcard
 * @param allowedMethods GET, PUT, HEAD, POST, DELETE
 * @param allowedHeaders request header names, each with at most one '*' wildcard
 * @param exposeHeaders  response headers the browser may read
 * @param maxAgeSeconds  how long a preflight answer may be cached, or -1 when not said
 */
public record CorsRule(String id, List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
                       List<String> exposeHeaders, int maxAgeSeconds) {
    public CorsRule {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedMethods = List.copyOf(allowedMethods);
        allowedHeaders = List.copyOf(allowedHeaders);
        exposeHeaders = List.copyOf(exposeHeaders);
    }
}
