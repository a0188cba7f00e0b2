package io.mooseng.core.model;

import java.util.List;
import java.util.Objects;

/**
 * A bucket notification rule (S3's QueueConfiguration): events of keys with a prefix and suffix
 * go to a webhook target the operator configured ({@link NotifyTarget}).
 *
 * @param id     the rule's id, named in each event's configurationId
 * @param target the target's name
 * @param events S3 event names: exact ({@code s3:ObjectCreated:Put}) or a family ({@code s3:ObjectCreated:*})
 * @param prefix keys must start with it ("" for any)
 * @param suffix keys must end with it ("" for any)
 */
public record NotificationRule(String id, String target, List<String> events, String prefix, String suffix) {
    /** The event names MooseNG raises, and the families that cover them. */
    public static final String CREATED_PUT = "s3:ObjectCreated:Put";
    public static final String CREATED_MULTIPART = "s3:ObjectCreated:CompleteMultipartUpload";
    public static final String REMOVED_DELETE = "s3:ObjectRemoved:Delete";
    public static final List<String> SUPPORTED = List.of("s3:ObjectCreated:*", CREATED_PUT, CREATED_MULTIPART, "s3:ObjectRemoved:*",
            REMOVED_DELETE);

    public NotificationRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        events = List.copyOf(events);
        prefix = prefix == null ? "" : prefix;
        suffix = suffix == null ? "" : suffix;
    }

    /** Whether an event named {@code eventName} of {@code key} is one this rule sends. */
    public boolean matches(String eventName, String key) {
        if (!key.startsWith(prefix) || !key.endsWith(suffix)) {
            return false;
        }
        for (String e : events) {
            if (e.equals(eventName) || e.endsWith(":*") && eventName.startsWith(e.substring(0, e.length() - 1))) {
                return true;
            }
        }
        return false;
    }
}
