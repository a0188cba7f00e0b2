package io.mooseng.core.policy;

/**
 * Policy variables ({@code ${aws:username}}) in resources and string condition values, as IAM
 * replaces them in Version 2012-10-17 documents: by the request's value of that key.
 */
final class PolicyVariables {
    private PolicyVariables() {
    }

    /** @throws IllegalArgumentException for an unclosed {@code ${} or a key no request has */
    static void validate(String text) {
        int at = text.indexOf("${");
        while (at >= 0) {
            int end = text.indexOf('}', at);
            if (end < 0) {
                throw new IllegalArgumentException("Unclosed policy variable in '" + text + "'");
            }
            String key = ConditionKeys.normalize(text.substring(at + 2, end).trim());
            if (!ConditionKeys.supported(key)) {
                throw new IllegalArgumentException("Unsupported policy variable ${" + text.substring(at + 2, end) + "}");
            }
            at = text.indexOf("${", end);
        }
    }

    /**
     * The text with each variable replaced, or null when one has no value in the request, or a
     * value holding a wildcard (it would match more than itself), so that what holds it matches nothing.
     */
    static String resolve(String text, RequestContext context) {
        int at = text.indexOf("${");
        if (at < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        int from = 0;
        while (at >= 0) {
            int end = text.indexOf('}', at);
            String value = context.value(ConditionKeys.normalize(text.substring(at + 2, end).trim()));
            if (value == null || value.indexOf('*') >= 0 || value.indexOf('?') >= 0) {
                return null;
            }
            sb.append(text, from, at).append(value);
            from = end + 1;
            at = text.indexOf("${", from);
        }
        return sb.append(text, from, text.length()).toString();
    }
}
