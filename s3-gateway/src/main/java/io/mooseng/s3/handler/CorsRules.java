package io.mooseng.s3.handler;

import io.mooseng.core.model.CorsRule;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.CorsConfiguration;
import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A bucket's CORS rules as S3 takes and applies them: at most 100 rules, each with at least
 * one origin and one method (GET, PUT, HEAD, POST, DELETE), origins and headers with at most
 * one '*' wildcard; the first rule that allows the origin, the method and every requested
 * header answers.
 */
final class CorsRules {
    static final int MAX_RULES = 100;
    private static final Set<String> METHODS = Set.of("GET", "PUT", "HEAD", "POST", "DELETE");
    private static final String VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

    private CorsRules() {
    }

    /** @throws io.mooseng.s3.error.S3Exception MalformedXML for a rule without origin or method, InvalidRequest for S3's other rules */
    static List<CorsRule> fromDocument(CorsConfiguration document) {
        if (document.rules == null || document.rules.isEmpty()) {
            throw S3Error.MALFORMED_XML.exception();
        }
        if (document.rules.size() > MAX_RULES) {
            throw S3Error.INVALID_REQUEST.exception("The number of CORS rules should not exceed allowed limit of " + MAX_RULES + " rules.");
        }
        List<CorsRule> rules = new ArrayList<>(document.rules.size());
        for (CorsConfiguration.Rule r : document.rules) {
            if (r == null || r.allowedOrigin == null || r.allowedOrigin.isEmpty() || r.allowedMethod == null || r.allowedMethod.isEmpty()) {
                throw S3Error.MALFORMED_XML.exception();
            }
            for (String method : r.allowedMethod) {
                if (!METHODS.contains(method)) {
                    throw S3Error.INVALID_REQUEST.exception("Found unsupported HTTP method in CORS config. Unsupported method is " + method);
                }
            }
            oneWildcardAtMost(r.allowedOrigin, "AllowedOrigin");
            List<String> headers = orEmpty(r.allowedHeader);
            oneWildcardAtMost(headers, "AllowedHeader");
            rules.add(new CorsRule(r.id, r.allowedOrigin, r.allowedMethod, headers, orEmpty(r.exposeHeader),
                    r.maxAgeSeconds == null ? -1 : r.maxAgeSeconds));
        }
        return rules;
    }

    static CorsConfiguration toDocument(List<CorsRule> rules) {
        CorsConfiguration document = new CorsConfiguration();
        document.rules = new ArrayList<>(rules.size());
        for (CorsRule rule : rules) {
            CorsConfiguration.Rule r = new CorsConfiguration.Rule();
            r.id = rule.id();
            r.allowedOrigin = rule.allowedOrigins();
            r.allowedMethod = rule.allowedMethods();
            r.allowedHeader = rule.allowedHeaders().isEmpty() ? null : rule.allowedHeaders();
            r.exposeHeader = rule.exposeHeaders().isEmpty() ? null : rule.exposeHeaders();
            r.maxAgeSeconds = rule.maxAgeSeconds() < 0 ? null : rule.maxAgeSeconds();
            document.rules.add(r);
        }
        return document;
    }

    /**
     * The first rule allowing a request from {@code origin} with {@code method} and the
     * {@code requestHeaders} (names, any case).
     */
    static Optional<CorsRule> match(List<CorsRule> rules, String origin, String method, List<String> requestHeaders) {
        for (CorsRule rule : rules) {
            if (rule.allowedMethods().contains(method) && rule.allowedOrigins().stream().anyMatch(o -> wildcard(o, origin))
                    && requestHeaders.stream().allMatch(h -> rule.allowedHeaders().stream()
                    .anyMatch(a -> wildcard(a.toLowerCase(Locale.ROOT), h.toLowerCase(Locale.ROOT))))) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    /** The headers S3 answers for a request a rule allows; the browser reads the answer only with them. */
    static MultiMap headers(CorsRule rule, String origin) {
        boolean anyOrigin = rule.allowedOrigins().contains("*");
        MultiMap h = MultiMap.caseInsensitiveMultiMap()
                .add("Access-Control-Allow-Origin", anyOrigin ? "*" : origin)
                .add("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods()))
                .add("Vary", VARY);
        if (!anyOrigin) {
            h.add("Access-Control-Allow-Credentials", "true");
        }
        if (!rule.exposeHeaders().isEmpty()) {
            h.add("Access-Control-Expose-Headers", String.join(", ", rule.exposeHeaders()));
        }
        if (rule.maxAgeSeconds() >= 0) {
            h.add("Access-Control-Max-Age", Integer.toString(rule.maxAgeSeconds()));
        }
        return h;
    }

    /** Access-Control-Request-Headers as a list of names. */
    static List<String> requestedHeaders(String header) {
        List<String> names = new ArrayList<>();
        if (header != null) {
            for (String name : header.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.trim());
                }
            }
        }
        return names;
    }

    /** {@code pattern} with at most one '*' standing for any characters. */
    static boolean wildcard(String pattern, String value) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return pattern.equals(value);
        }
        String head = pattern.substring(0, star);
        String tail = pattern.substring(star + 1);
        return value.length() >= head.length() + tail.length() && value.startsWith(head) && value.endsWith(tail);
    }

    private static void oneWildcardAtMost(List<String> patterns, String element) {
        for (String p : patterns) {
            if (p.indexOf('*') != p.lastIndexOf('*')) {
                throw S3Error.INVALID_REQUEST.exception(element + " \"" + p + "\" can not have more than one wildcard.");
            }
        }
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }
}
