package io.mooseng.s3.handler;

import io.mooseng.core.model.NotificationRule;
import io.mooseng.core.model.NotifyTarget;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.NotificationConfiguration;
import io.mooseng.s3.xml.NotificationConfiguration.Destination;
import io.mooseng.s3.xml.NotificationConfiguration.FilterRule;
import io.mooseng.s3.xml.S3Xml;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Get/PutBucketNotificationConfiguration: the bucket's rules, kept in its policy. A rule names
 * a webhook target the operator configured ({@code mooseng admin notify target add NAME}) by
 * the ARN {@code arn:mooseng:sqs::NAME:webhook} in a QueueConfiguration; the state machine
 * queues matching events with each change, and the leader delivers them.
 */
public final class NotificationHandler {
    private static final long MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_RULES = 100;

    private final ObjectService objects;

    public NotificationHandler(ObjectService objects) {
        this.objects = objects;
    }

    /** A bucket without rules answers an empty configuration, as S3 does. */
    public Future<Void> get(S3Request req) {
        return req.call(() -> objects.getBucket(req.bucket())).compose(b -> req.sendXml(200, document(b.policy().notifications())));
    }

    public Future<Void> put(S3Request req) {
        return req.readSmallBody(MAX_BODY_BYTES).map(body -> rules(S3Xml.read(body, NotificationConfiguration.class)))
                .compose(rules -> req.call(objects::notifyTargets).map(targets -> {
                    Set<String> known = new HashSet<>();
                    targets.forEach(t -> known.add(t.name()));
                    for (NotificationRule r : rules) {
                        if (!known.contains(r.target())) {
                            throw S3Error.INVALID_ARGUMENT.exception("Unable to validate the following destination configurations: "
                                    + NotifyTarget.arnOf(r.target()) + " (no such target; `mooseng admin notify target add` makes one)");
                        }
                    }
                    return rules;
                }))
                .compose(rules -> BucketSettings.change(req, objects, p -> p.withNotifications(rules), 200));
    }

    /** @throws io.mooseng.s3.error.S3Exception InvalidArgument for destinations, events or filters MooseNG cannot honour */
    static List<NotificationRule> rules(NotificationConfiguration c) {
        if (c.topicConfigurations != null || c.cloudFunctionConfigurations != null) {
            throw S3Error.INVALID_ARGUMENT.exception("MooseNG sends notifications to webhook targets only: use a QueueConfiguration "
                    + "naming arn:mooseng:sqs::NAME:webhook.");
        }
        if (c.eventBridgeConfiguration != null) {
            throw S3Error.NOT_IMPLEMENTED.exception("EventBridge notifications are not implemented.");
        }
        List<Destination> queues = c.queueConfigurations == null ? List.of() : c.queueConfigurations;
        if (queues.size() > MAX_RULES) {
            throw S3Error.INVALID_ARGUMENT.exception("A notification configuration has at most " + MAX_RULES + " rules.");
        }
        List<NotificationRule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Destination d : queues) {
            String target = NotifyTarget.nameOf(d.queue == null ? null : d.queue.trim());
            if (target == null) {
                throw S3Error.INVALID_ARGUMENT.exception("The destination ARN " + d.queue + " is not of the form arn:mooseng:sqs::NAME:webhook.");
            }
            if (d.events == null || d.events.isEmpty()) {
                throw S3Error.INVALID_ARGUMENT.exception("A notification rule needs at least one Event.");
            }
            for (String e : d.events) {
                if (!NotificationRule.SUPPORTED.contains(e.trim())) {
                    throw S3Error.INVALID_ARGUMENT.exception("The event " + e + " is not supported; MooseNG raises "
                            + String.join(", ", NotificationRule.SUPPORTED) + " (copies and form uploads are s3:ObjectCreated:Put).");
                }
            }
            String id = d.id == null || d.id.isBlank() ? UUID.randomUUID().toString() : d.id.trim();
            if (!ids.add(id)) {
                throw S3Error.INVALID_ARGUMENT.exception("Two notification rules have the Id " + id + ".");
            }
            String prefix = "";
            String suffix = "";
            List<FilterRule> filters = d.filter == null || d.filter.s3Key == null || d.filter.s3Key.filterRules == null ? List.of()
                    : d.filter.s3Key.filterRules;
            Set<String> seen = new HashSet<>();
            for (FilterRule f : filters) {
                String name = f.name == null ? "" : f.name.trim().toLowerCase(Locale.ROOT);
                if (!(name.equals("prefix") || name.equals("suffix")) || !seen.add(name)) {
                    throw S3Error.INVALID_ARGUMENT.exception("A filter has at most one prefix and one suffix rule.");
                }
                String value = f.value == null ? "" : f.value;
                if (name.equals("prefix")) {
                    prefix = value;
                } else {
                    suffix = value;
                }
            }
            rules.add(new NotificationRule(id, target, d.events.stream().map(String::trim).toList(), prefix, suffix));
        }
        return rules;
    }

    private static NotificationConfiguration document(List<NotificationRule> rules) {
        NotificationConfiguration c = new NotificationConfiguration();
        if (!rules.isEmpty()) {
            c.queueConfigurations = new ArrayList<>();
        }
        for (NotificationRule r : rules) {
            Destination d = new Destination();
            d.id = r.id();
            d.queue = NotifyTarget.arnOf(r.target());
            d.events = r.events();
            List<FilterRule> filters = new ArrayList<>();
            if (!r.prefix().isEmpty()) {
                filters.add(new FilterRule("prefix", r.prefix()));
            }
            if (!r.suffix().isEmpty()) {
                filters.add(new FilterRule("suffix", r.suffix()));
            }
            if (!filters.isEmpty()) {
                d.filter = new NotificationConfiguration.Filter();
                d.filter.s3Key = new NotificationConfiguration.S3Key();
                d.filter.s3Key.filterRules = filters;
            }
            c.queueConfigurations.add(d);
        }
        return c;
    }
}
