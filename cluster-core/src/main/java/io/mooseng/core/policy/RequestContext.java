package io.mooseng.core.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The condition key values of one request. A key the request does not have is absent (not
 * empty): IAM's operators treat the two differently.
 */
public final class RequestContext {
    private final Map<String, List<String>> values;

    private RequestContext(Map<String, List<String>> values) {
        this.values = Map.copyOf(values);
    }

    /** The key's values, or null when the request has none. */
    List<String> values(String normalizedKey) {
        return values.get(normalizedKey);
    }

    /** The first value, or null: what a policy variable {@code ${key}} stands for. */
    String value(String normalizedKey) {
        List<String> v = values.get(normalizedKey);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects keys; a null value leaves its key absent. */
    public static final class Builder {
        private final Map<String, List<String>> values = new HashMap<>();

        public Builder put(String key, String value) {
            if (value != null) {
                values.put(ConditionKeys.normalize(key), List.of(value));
            }
            return this;
        }

        public Builder put(String key, List<String> multiple) {
            values.put(ConditionKeys.normalize(key), List.copyOf(multiple));
            return this;
        }

        public RequestContext build() {
            return new RequestContext(values);
        }
    }
}
