package io.mooseng.cli;

import io.mooseng.core.model.NotificationEvent;
import io.mooseng.core.model.NotifyTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code mooseng admin notify}: the webhook targets bucket notifications go to (a bucket's
 * configuration names one by the ARN {@code arn:mooseng:sqs::NAME:webhook}), and the queue of
 * events waiting for delivery.
 */
@Command(name = "notify", mixinStandardHelpOptions = true, description = "Bucket notification targets and the delivery queue.",
        subcommands = {NotifyCommands.Target.class, NotifyCommands.Pending.class})
final class NotifyCommands {

    @Command(name = "target", mixinStandardHelpOptions = true, description = "Webhook targets of bucket notifications.",
            subcommands = {NotifyCommands.Add.class, NotifyCommands.Remove.class, NotifyCommands.ListTargets.class})
    static final class Target {
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add (or change the URL of) a target; buckets name it as arn:mooseng:sqs::NAME:webhook.")
    static final class Add implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Mixin
        OutputOption out;

        @Parameters(paramLabel = "NAME", description = "Letters, digits, '-' and '_'.")
        String name;

        @Option(names = "--url", required = true, paramLabel = "URL", description = "Where events are POSTed (http:// or https://).")
        String url;

        @Override
        public Integer call() throws Exception {
            NotifyTarget target = new NotifyTarget(name, url).validated();
            masters.withMetadata(metadata -> metadata.putNotifyTarget(target).get(30, TimeUnit.SECONDS));
            out.print(Map.of("name", target.name(), "url", target.url(), "arn", target.arn()), () -> target.arn() + " -> " + target.url());
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a target; its queued events are dropped, and rules naming it send nothing.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            if (!masters.withMetadata(metadata -> metadata.removeNotifyTarget(name).get(30, TimeUnit.SECONDS))) {
                throw new IllegalArgumentException("no notification target " + name);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The targets, with their ARNs.")
    static final class ListTargets implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Mixin
        OutputOption out;

        @Override
        public Integer call() throws Exception {
            List<NotifyTarget> targets = masters.withMetadata(metadata -> metadata.notifyTargets().get(30, TimeUnit.SECONDS));
            out.print(targets.stream().<Map<String, Object>>map(t -> Map.of("name", t.name(), "url", t.url(), "arn", t.arn())).toList(), () -> {
                StringBuilder sb = new StringBuilder(String.format("%-40s %s", "ARN", "URL"));
                targets.forEach(t -> sb.append(String.format("%n%-40s %s", t.arn(), t.url())));
                return sb.toString();
            });
            return 0;
        }
    }

    @Command(name = "pending", mixinStandardHelpOptions = true, description = "Events waiting for delivery, oldest first.")
    static final class Pending implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Mixin
        OutputOption out;

        @Option(names = "--limit", defaultValue = "100", paramLabel = "N", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() throws Exception {
            List<NotificationEvent> events = masters.withMetadata(metadata -> metadata.pendingNotifications(0, limit).get(30, TimeUnit.SECONDS));
            out.print(events, () -> {
                StringBuilder sb = new StringBuilder(String.format("%-10s %-16s %-40s %s", "SEQUENCE", "TARGET", "EVENT", "OBJECT"));
                events.forEach(e -> sb.append(String.format("%n%-10d %-16s %-40s %s/%s", e.sequence(), e.target(), e.eventName(), e.bucket(),
                        e.key())));
                return sb.toString();
            });
            return 0;
        }
    }
}
