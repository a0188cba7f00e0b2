package io.mooseng.core.policy;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * IAM's condition operators without their qualifiers ({@code ...IfExists}, {@code ForAnyValue:},
 * {@code ForAllValues:}, which {@link Condition} applies). A negated operator holds when the
 * request's value matches none of the policy's values; the others when it matches any.
 */
enum ConditionOperator {
    STRING_EQUALS("StringEquals", Kind.STRING, false),
    STRING_NOT_EQUALS("StringNotEquals", Kind.STRING, true),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Kind.STRING_IGNORE_CASE, false),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Kind.STRING_IGNORE_CASE, true),
    STRING_LIKE("StringLike", Kind.STRING_LIKE, false),
    STRING_NOT_LIKE("StringNotLike", Kind.STRING_LIKE, true),
    NUMERIC_EQUALS("NumericEquals", Kind.NUMERIC_EQUAL, false),
    NUMERIC_NOT_EQUALS("NumericNotEquals", Kind.NUMERIC_EQUAL, true),
    NUMERIC_LESS_THAN("NumericLessThan", Kind.NUMERIC_LESS, false),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Kind.NUMERIC_LESS_OR_EQUAL, false),
    NUMERIC_GREATER_THAN("NumericGreaterThan", Kind.NUMERIC_GREATER, false),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Kind.NUMERIC_GREATER_OR_EQUAL, false),
    DATE_EQUALS("DateEquals", Kind.DATE_EQUAL, false),
    DATE_NOT_EQUALS("DateNotEquals", Kind.DATE_EQUAL, true),
    DATE_LESS_THAN("DateLessThan", Kind.DATE_LESS, false),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", Kind.DATE_LESS_OR_EQUAL, false),
    DATE_GREATER_THAN("DateGreaterThan", Kind.DATE_GREATER, false),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Kind.DATE_GREATER_OR_EQUAL, false),
    BOOL("Bool", Kind.BOOL, false),
    IP_ADDRESS("IpAddress", Kind.IP, false),
    NOT_IP_ADDRESS("NotIpAddress", Kind.IP, true),
    /** {@code "true"}: the key is absent; {@code "false"}: present. Applied by {@link Condition}. */
    NULL("Null", Kind.BOOL, false);

    private enum Kind {
        STRING, STRING_IGNORE_CASE, STRING_LIKE, NUMERIC_EQUAL, NUMERIC_LESS, NUMERIC_LESS_OR_EQUAL, NUMERIC_GREATER,
        NUMERIC_GREATER_OR_EQUAL, DATE_EQUAL, DATE_LESS, DATE_LESS_OR_EQUAL, DATE_GREATER, DATE_GREATER_OR_EQUAL, BOOL, IP
    }

    /** IP literals, which InetAddress parses without a name lookup (a colon makes it expect IPv6). */
    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final String name;
    private final Kind kind;
    private final boolean negated;

    ConditionOperator(String name, Kind kind, boolean negated) {
        this.name = name;
        this.kind = kind;
        this.negated = negated;
    }

    /** The operator by its IAM name (case-sensitive, as IAM), or null. */
    static ConditionOperator named(String name) {
        for (ConditionOperator op : values()) {
            if (op.name.equals(name)) {
                return op;
            }
        }
        return null;
    }

    String iamName() {
        return name;
    }

    boolean negated() {
        return negated;
    }

    /** True for the string operators, whose values may hold policy variables. */
    boolean takesVariables() {
        return kind == Kind.STRING || kind == Kind.STRING_IGNORE_CASE || kind == Kind.STRING_LIKE;
    }

    /** @throws IllegalArgumentException saying why a policy value cannot be compared by this operator */
    void validate(String policyValue) {
        switch (kind) {
            case NUMERIC_EQUAL, NUMERIC_LESS, NUMERIC_LESS_OR_EQUAL, NUMERIC_GREATER, NUMERIC_GREATER_OR_EQUAL -> {
                if (number(policyValue) == null) {
                    throw new IllegalArgumentException(name + " needs numbers, not '" + policyValue + "'");
                }
            }
            case DATE_EQUAL, DATE_LESS, DATE_LESS_OR_EQUAL, DATE_GREATER, DATE_GREATER_OR_EQUAL -> {
                if (date(policyValue) == null) {
                    throw new IllegalArgumentException(name + " needs ISO 8601 dates or epoch seconds, not '" + policyValue + "'");
                }
            }
            case BOOL -> {
                if (!policyValue.equalsIgnoreCase("true") && !policyValue.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException(name + " needs true or false, not '" + policyValue + "'");
                }
            }
            case IP -> {
                if (Cidr.parse(policyValue) == null) {
                    throw new IllegalArgumentException(name + " needs IP addresses or CIDR ranges, not '" + policyValue + "'");
                }
            }
            case STRING, STRING_IGNORE_CASE, STRING_LIKE -> {
            }
        }
    }

    /** The comparison itself, before negation; a request value of the wrong type matches nothing. */
    boolean matches(String requestValue, String policyValue) {
        return switch (kind) {
            case STRING -> requestValue.equals(policyValue);
            case STRING_IGNORE_CASE -> requestValue.equalsIgnoreCase(policyValue);
            case STRING_LIKE -> Wildcard.matches(policyValue, requestValue, false);
            case NUMERIC_EQUAL, NUMERIC_LESS, NUMERIC_LESS_OR_EQUAL, NUMERIC_GREATER, NUMERIC_GREATER_OR_EQUAL -> {
                BigDecimal r = number(requestValue);
                yield r != null && ordered(r.compareTo(number(policyValue)));
            }
            case DATE_EQUAL, DATE_LESS, DATE_LESS_OR_EQUAL, DATE_GREATER, DATE_GREATER_OR_EQUAL -> {
                Instant r = date(requestValue);
                yield r != null && ordered(r.compareTo(date(policyValue)));
            }
            case BOOL -> requestValue.equalsIgnoreCase(policyValue);
            case IP -> Cidr.parse(policyValue).contains(requestValue);
        };
    }

    /** Whether a comparison's sign satisfies this operator. */
    private boolean ordered(int sign) {
        return switch (kind) {
            case NUMERIC_LESS, DATE_LESS -> sign < 0;
            case NUMERIC_LESS_OR_EQUAL, DATE_LESS_OR_EQUAL -> sign <= 0;
            case NUMERIC_GREATER, DATE_GREATER -> sign > 0;
            case NUMERIC_GREATER_OR_EQUAL, DATE_GREATER_OR_EQUAL -> sign >= 0;
            default -> sign == 0;
        };
    }

    private static BigDecimal number(String s) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** ISO 8601 (a date, a date-time with or without offset, taken as UTC without) or epoch seconds; null otherwise. */
    static Instant date(String s) {
        String v = s.trim();
        try {
            if (v.matches("-?\\d{1,12}")) {
                return Instant.ofEpochSecond(Long.parseLong(v));
            }
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (v.endsWith("Z") || v.endsWith("z")) {
                return Instant.parse(v.toUpperCase(Locale.ROOT));
            }
            return v.matches(".*[+-]\\d\\d:?\\d\\d$") ? OffsetDateTime.parse(v).toInstant() : LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    /** An address range: a bare address is a range of one. */
    private record Cidr(byte[] network, int prefixBits) {
        static Cidr parse(String value) {
            String v = value.trim();
            int slash = v.indexOf('/');
            byte[] address = address(slash < 0 ? v : v.substring(0, slash));
            if (address == null) {
                return null;
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(v.substring(slash + 1));
                } catch (NumberFormatException e) {
                    return null;
                }
                if (bits < 0 || bits > address.length * 8) {
                    return null;
                }
            }
            return new Cidr(address, bits);
        }

        boolean contains(String requestAddress) {
            byte[] a = address(requestAddress);
            if (a == null || a.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefixBits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        /** Bytes of an IPv4 or IPv6 literal (an IPv4-mapped IPv6 address as IPv4), or null. */
        private static byte[] address(String literal) {
            if (!IP_LITERAL.matcher(literal).matches()) {
                return null;
            }
            try {
                return InetAddress.getByName(literal).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }
}
