package io.mooseng.s3.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A request's query parameters, decoded, in the order sent. A parameter without '='
 * (the S3 sub-resources such as {@code ?uploads}) has the value "".
 */
public final class QueryString {
    private final List<Map.Entry<String, String>> params;

    private QueryString(List<Map.Entry<String, String>> params) {
        this.params = List.copyOf(params);
    }

    /** Parses the raw query (the part after '?', null for none). */
    public static QueryString parse(String raw) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                params.add(Map.entry(UriEncoding.decodeQuery(name), UriEncoding.decodeQuery(value)));
            }
        }
        return new QueryString(params);
    }

    public List<Map.Entry<String, String>> entries() {
        return params;
    }

    public boolean has(String name) {
        return get(name) != null;
    }

    /** The first value of {@code name}, or null. */
    public String get(String name) {
        for (Map.Entry<String, String> e : params) {
            if (e.getKey().equals(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
