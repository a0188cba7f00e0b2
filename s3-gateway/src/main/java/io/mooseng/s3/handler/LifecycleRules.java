package io.mooseng.s3.handler;

import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.LifecycleRule;
import io.mooseng.core.model.StorageClass;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.LifecycleConfiguration;
import io.mooseng.s3.xml.LifecycleConfiguration.Tag;
import io.mooseng.s3.xml.S3Xml;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.mooseng.core.model.LifecycleRule.NONE;

/**
 * A bucket's lifecycle rules as S3 takes them: 1 to 1000 rules with unique IDs, a Filter (one
 * condition, or several under And) or the legacy Prefix, Status Enabled or Disabled, and at
 * least one action. Transition classes are MooseNG's (EC_8_4, REPLICATED_2) or the S3 names
 * x-amz-storage-class maps the same way (GLACIER is EC_8_4); the document answered names them
 * as MooseNG does.
 */
final class LifecycleRules {
    static final int MAX_RULES = 1000;
    private static final int MAX_ID_LENGTH = 255;
    private static final int MAX_NEWER_NONCURRENT = 100;

    private LifecycleRules() {
    }

    /** @throws io.mooseng.s3.error.S3Exception MalformedXML, InvalidArgument, InvalidRequest, InvalidStorageClass as S3 answers */
    static List<LifecycleRule> fromDocument(LifecycleConfiguration document) {
        if (document.rules == null || document.rules.isEmpty()) {
            throw S3Error.MALFORMED_XML.exception();
        }
        if (document.rules.size() > MAX_RULES) {
            throw S3Error.INVALID_ARGUMENT.exception("A lifecycle configuration has at most " + MAX_RULES + " rules.");
        }
        List<LifecycleRule> rules = new ArrayList<>(document.rules.size());
        Set<String> ids = new HashSet<>();
        for (LifecycleConfiguration.Rule r : document.rules) {
            LifecycleRule rule = rule(r, rules.size());
            if (!ids.add(rule.id())) {
                throw S3Error.INVALID_ARGUMENT.exception("Rule ID must be unique. Found same ID for more than one rule: " + rule.id());
            }
            rules.add(rule);
        }
        return rules;
    }

    private static LifecycleRule rule(LifecycleConfiguration.Rule r, int index) {
        if (r == null || r.status == null || !(r.status.equals("Enabled") || r.status.equals("Disabled"))) {
            throw S3Error.MALFORMED_XML.exception();
        }
        String id = r.id == null || r.id.isBlank() ? "rule-" + (index + 1) : r.id;
        if (id.length() > MAX_ID_LENGTH) {
            throw S3Error.INVALID_ARGUMENT.exception("ID length should not exceed allowed limit of " + MAX_ID_LENGTH);
        }
        if ((r.prefix != null) == (r.filter != null)) {
            throw S3Error.MALFORMED_XML.exception();
        }
        LifecycleRule.Filter filter = r.prefix != null ? new LifecycleRule.Filter(r.prefix, Map.of(), NONE, NONE) : filter(r.filter);

        int expirationDays = NONE;
        long expirationDate = NONE;
        boolean expiredMarker = false;
        if (r.expiration != null) {
            var e = r.expiration;
            if ((e.days != null ? 1 : 0) + (e.date != null ? 1 : 0) + (e.expiredObjectDeleteMarker != null ? 1 : 0) != 1) {
                throw S3Error.MALFORMED_XML.exception();
            }
            expirationDays = e.days == null ? NONE : positive(e.days, "'Days' for Expiration action");
            expirationDate = e.date == null ? NONE : midnight(e.date);
            expiredMarker = e.expiredObjectDeleteMarker != null && bool(e.expiredObjectDeleteMarker);
            if (e.expiredObjectDeleteMarker != null && !filter.tags().isEmpty()) {
                throw S3Error.INVALID_ARGUMENT.exception("ExpiredObjectDeleteMarker cannot be specified with tags.");
            }
        }
        int noncurrentDays = NONE;
        int newer = 0;
        if (r.noncurrentVersionExpiration != null) {
            var n = r.noncurrentVersionExpiration;
            if (n.noncurrentDays == null) {
                throw S3Error.MALFORMED_XML.exception();
            }
            noncurrentDays = positive(n.noncurrentDays, "'NoncurrentDays' for NoncurrentVersionExpiration action");
            if (n.newerNoncurrentVersions != null) {
                newer = positive(n.newerNoncurrentVersions, "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action");
                if (newer > MAX_NEWER_NONCURRENT) {
                    throw S3Error.INVALID_ARGUMENT.exception("'NewerNoncurrentVersions' must be at most " + MAX_NEWER_NONCURRENT + ".");
                }
            }
        }
        int abortDays = NONE;
        if (r.abortIncompleteMultipartUpload != null) {
            if (r.abortIncompleteMultipartUpload.daysAfterInitiation == null) {
                throw S3Error.MALFORMED_XML.exception();
            }
            if (!filter.tags().isEmpty() || filter.sizeGreaterThan() != NONE || filter.sizeLessThan() != NONE) {
                throw S3Error.INVALID_ARGUMENT.exception("AbortIncompleteMultipartUpload cannot be specified with tags or object size filters.");
            }
            abortDays = positive(r.abortIncompleteMultipartUpload.daysAfterInitiation, "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action");
        }
        List<LifecycleRule.Transition> transitions = new ArrayList<>();
        Set<StorageClass> classes = new HashSet<>();
        for (LifecycleConfiguration.Transition t : r.transitions == null ? List.<LifecycleConfiguration.Transition>of() : r.transitions) {
            if (t == null || (t.days == null) == (t.date == null) || t.storageClass == null) {
                throw S3Error.MALFORMED_XML.exception();
            }
            int days = t.days == null ? NONE : number(t.days, "'Days' for Transition action", 0);
            if (days != NONE && expirationDays != NONE && expirationDays <= days) {
                throw S3Error.INVALID_ARGUMENT.exception("'Days' in the Expiration action must be greater than 'Days' in the Transition action.");
            }
            LifecycleRule.Transition transition = new LifecycleRule.Transition(days, t.date == null ? NONE : midnight(t.date), storageClass(t.storageClass));
            if (!classes.add(transition.storageClass())) {
                throw S3Error.INVALID_ARGUMENT.exception("'StorageClass' must be different for each Transition action.");
            }
            transitions.add(transition);
        }
        List<LifecycleRule.NoncurrentTransition> noncurrentTransitions = noncurrentTransitions(r.noncurrentVersionTransitions);
        for (LifecycleRule.NoncurrentTransition t : noncurrentTransitions) {
            if (noncurrentDays != NONE && noncurrentDays <= t.noncurrentDays()) {
                throw S3Error.INVALID_ARGUMENT.exception("'NoncurrentDays' in the NoncurrentVersionExpiration action must be greater than "
                        + "'NoncurrentDays' in the NoncurrentVersionTransition action.");
            }
        }
        if (expirationDays == NONE && expirationDate == NONE && !expiredMarker && noncurrentDays == NONE && abortDays == NONE
                && transitions.isEmpty() && noncurrentTransitions.isEmpty()) {
            throw S3Error.INVALID_REQUEST.exception("At least one action needs to be specified in a rule.");
        }
        return new LifecycleRule(id, r.status.equals("Enabled"), filter, expirationDays, expirationDate, expiredMarker, noncurrentDays,
                newer, abortDays, transitions, noncurrentTransitions);
    }

    private static List<LifecycleRule.NoncurrentTransition> noncurrentTransitions(List<LifecycleConfiguration.NoncurrentVersionTransition> doc) {
        List<LifecycleRule.NoncurrentTransition> out = new ArrayList<>();
        Set<StorageClass> classes = new HashSet<>();
        for (LifecycleConfiguration.NoncurrentVersionTransition t : doc == null ? List.<LifecycleConfiguration.NoncurrentVersionTransition>of() : doc) {
            if (t == null || t.noncurrentDays == null || t.storageClass == null) {
                throw S3Error.MALFORMED_XML.exception();
            }
            int days = number(t.noncurrentDays, "'NoncurrentDays' for NoncurrentVersionTransition action", 0);
            int newer = 0;
            if (t.newerNoncurrentVersions != null) {
                newer = positive(t.newerNoncurrentVersions, "'NewerNoncurrentVersions' for NoncurrentVersionTransition action");
                if (newer > MAX_NEWER_NONCURRENT) {
                    throw S3Error.INVALID_ARGUMENT.exception("'NewerNoncurrentVersions' must be at most " + MAX_NEWER_NONCURRENT + ".");
                }
            }
            LifecycleRule.NoncurrentTransition transition = new LifecycleRule.NoncurrentTransition(days, newer, storageClass(t.storageClass));
            if (!classes.add(transition.storageClass())) {
                throw S3Error.INVALID_ARGUMENT.exception("'StorageClass' must be different for each NoncurrentVersionTransition action.");
            }
            out.add(transition);
        }
        return out;
    }

    private static LifecycleRule.Filter filter(LifecycleConfiguration.Filter f) {
        int conditions = (f.prefix != null ? 1 : 0) + (f.tag != null ? 1 : 0) + (f.objectSizeGreaterThan != null ? 1 : 0)
                + (f.objectSizeLessThan != null ? 1 : 0) + (f.and != null ? 1 : 0);
        if (conditions > 1) {
            throw S3Error.MALFORMED_XML.exception();
        }
        if (f.and != null) {
            Map<String, String> tags = new LinkedHashMap<>();
            for (Tag t : f.and.tags == null ? List.<Tag>of() : f.and.tags) {
                if (tags.put(tagKey(t), t.value == null ? "" : t.value) != null) {
                    throw S3Error.INVALID_ARGUMENT.exception("Duplicate Tag Keys are not allowed.");
                }
            }
            return sized(f.and.prefix, tags, f.and.objectSizeGreaterThan, f.and.objectSizeLessThan);
        }
        Map<String, String> tags = f.tag == null ? Map.of() : Map.of(tagKey(f.tag), f.tag.value == null ? "" : f.tag.value);
        return sized(f.prefix, tags, f.objectSizeGreaterThan, f.objectSizeLessThan);
    }

    private static LifecycleRule.Filter sized(String prefix, Map<String, String> tags, String greater, String less) {
        long above = greater == null ? NONE : number(greater, "'ObjectSizeGreaterThan'", 0);
        long below = less == null ? NONE : number(less, "'ObjectSizeLessThan'", 1);
        if (above != NONE && below != NONE && above >= below) {
            throw S3Error.INVALID_ARGUMENT.exception("'ObjectSizeGreaterThan' must be less than 'ObjectSizeLessThan'.");
        }
        return new LifecycleRule.Filter(prefix == null ? "" : prefix, tags, above, below);
    }

    private static String tagKey(Tag t) {
        if (t == null || t.key == null || t.key.isEmpty()) {
            throw S3Error.INVALID_ARGUMENT.exception("A filter's Tag needs a Key.");
        }
        return t.key;
    }

    private static int positive(String text, String what) {
        return number(text, what, 1);
    }

    /** @throws io.mooseng.s3.error.S3Exception MalformedXML for no number, InvalidArgument below {@code min} */
    private static int number(String text, String what, long min) {
        long n;
        try {
            n = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw S3Error.MALFORMED_XML.exception();
        }
        if (n < min || n > Integer.MAX_VALUE) {
            throw S3Error.INVALID_ARGUMENT.exception(what + " must be " + (min == 0 ? "a non-negative" : "a positive") + " integer.");
        }
        return (int) n;
    }

    private static boolean bool(String text) {
        return switch (text.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw S3Error.MALFORMED_XML.exception();
        };
    }

    /** An ISO 8601 date or date-time that must be midnight UTC, as S3 requires; @return its epoch millis */
    private static long midnight(String text) {
        OffsetDateTime at;
        try {
            at = text.trim().length() == 10 ? LocalDate.parse(text.trim()).atTime(LocalTime.MIDNIGHT).atOffset(ZoneOffset.UTC)
                    : OffsetDateTime.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw S3Error.INVALID_ARGUMENT.exception("'Date' must be an ISO 8601 date: " + text);
        }
        if (!at.atZoneSameInstant(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT)) {
            throw S3Error.INVALID_ARGUMENT.exception("'Date' must be at midnight GMT");
        }
        return at.toInstant().toEpochMilli();
    }

    private static StorageClass storageClass(String name) {
        try {
            StorageClass c = ObjectHeaders.storageClass(name);
            if (c != null) {
                return c;
            }
        } catch (MooseException e) {
            // answered below
        }
        throw S3Error.INVALID_STORAGE_CLASS.exception("The storage class " + name + " is no MooseNG class to transition to "
                + "(REPLICATED_n, EC_k_m, or an S3 archive or infrequent-access class name).");
    }

    static LifecycleConfiguration toDocument(List<LifecycleRule> rules) {
        LifecycleConfiguration c = new LifecycleConfiguration();
        c.rules = new ArrayList<>(rules.size());
        for (LifecycleRule rule : rules) {
            LifecycleConfiguration.Rule r = new LifecycleConfiguration.Rule();
            r.id = rule.id();
            r.status = rule.enabled() ? "Enabled" : "Disabled";
            r.filter = filterDocument(rule.filter());
            if (rule.expirationDays() != NONE || rule.expirationDateMillis() != NONE || rule.expiredObjectDeleteMarker()) {
                r.expiration = new LifecycleConfiguration.Expiration();
                r.expiration.days = rule.expirationDays() == NONE ? null : Integer.toString(rule.expirationDays());
                r.expiration.date = rule.expirationDateMillis() == NONE ? null : S3Xml.timestamp(rule.expirationDateMillis());
                r.expiration.expiredObjectDeleteMarker = rule.expiredObjectDeleteMarker() ? "true" : null;
            }
            if (!rule.transitions().isEmpty()) {
                r.transitions = new ArrayList<>();
                for (LifecycleRule.Transition t : rule.transitions()) {
                    LifecycleConfiguration.Transition d = new LifecycleConfiguration.Transition();
                    d.days = t.days() == NONE ? null : Integer.toString(t.days());
                    d.date = t.dateMillis() == NONE ? null : S3Xml.timestamp(t.dateMillis());
                    d.storageClass = t.storageClass().name();
                    r.transitions.add(d);
                }
            }
            if (!rule.noncurrentTransitions().isEmpty()) {
                r.noncurrentVersionTransitions = new ArrayList<>();
                for (LifecycleRule.NoncurrentTransition t : rule.noncurrentTransitions()) {
                    LifecycleConfiguration.NoncurrentVersionTransition d = new LifecycleConfiguration.NoncurrentVersionTransition();
                    d.noncurrentDays = Integer.toString(t.noncurrentDays());
                    d.newerNoncurrentVersions = t.newerNoncurrentVersions() == 0 ? null : Integer.toString(t.newerNoncurrentVersions());
                    d.storageClass = t.storageClass().name();
                    r.noncurrentVersionTransitions.add(d);
                }
            }
            if (rule.noncurrentDays() != NONE) {
                r.noncurrentVersionExpiration = new LifecycleConfiguration.NoncurrentVersionExpiration();
                r.noncurrentVersionExpiration.noncurrentDays = Integer.toString(rule.noncurrentDays());
                r.noncurrentVersionExpiration.newerNoncurrentVersions = rule.newerNoncurrentVersions() == 0 ? null
                        : Integer.toString(rule.newerNoncurrentVersions());
            }
            if (rule.abortUploadDays() != NONE) {
                r.abortIncompleteMultipartUpload = new LifecycleConfiguration.AbortIncompleteMultipartUpload();
                r.abortIncompleteMultipartUpload.daysAfterInitiation = Integer.toString(rule.abortUploadDays());
            }
            c.rules.add(r);
        }
        return c;
    }

    /** One condition answers as itself, several under And. */
    private static LifecycleConfiguration.Filter filterDocument(LifecycleRule.Filter f) {
        LifecycleConfiguration.Filter d = new LifecycleConfiguration.Filter();
        String above = f.sizeGreaterThan() == NONE ? null : Long.toString(f.sizeGreaterThan());
        String below = f.sizeLessThan() == NONE ? null : Long.toString(f.sizeLessThan());
        int conditions = (f.prefix().isEmpty() ? 0 : 1) + f.tags().size() + (above == null ? 0 : 1) + (below == null ? 0 : 1);
        if (conditions > 1) {
            d.and = new LifecycleConfiguration.And();
            d.and.prefix = f.prefix().isEmpty() ? null : f.prefix();
            d.and.tags = f.tags().isEmpty() ? null : f.tags().entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList();
            d.and.objectSizeGreaterThan = above;
            d.and.objectSizeLessThan = below;
            return d;
        }
        d.prefix = f.prefix().isEmpty() && conditions == 1 ? null : f.prefix();
        f.tags().forEach((k, v) -> d.tag = new Tag(k, v));
        d.objectSizeGreaterThan = above;
        d.objectSizeLessThan = below;
        return d;
    }
}
