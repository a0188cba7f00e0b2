package io.mooseng.cli;

import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.StorageClass;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * {@code mooseng admin class}: storage classes per bucket and per directory (key prefix),
 * inherited from the nearest directory like MooseFS goals, and cold-data conversion. A change
 * applies to new writes at once and to existing objects in the background (re-coding by the
 * leader's maintenance service; progress in {@code admin status}).
 */
@Command(name = "class", mixinStandardHelpOptions = true, description = "Storage classes of buckets and directories.",
        subcommands = {PolicyCommands.Set.class, PolicyCommands.Clear.class, PolicyCommands.Show.class, PolicyCommands.Cold.class})
final class PolicyCommands {

    /** Applies a change to a bucket's policy and prints the result. */
    static int update(MastersOption masters, OutputOption out, String bucket, UnaryOperator<BucketPolicy> change) throws Exception {
        return masters.withMetadata(metadata -> {
            BucketInfo b = metadata.getBucket(bucket).get(30, TimeUnit.SECONDS);
            print(out, metadata.setBucketPolicy(bucket, change.apply(b.policy())).get(30, TimeUnit.SECONDS));
            return 0;
        });
    }

    static void print(OutputOption out, BucketInfo b) throws Exception {
        BucketPolicy p = b.policy();
        String trash = p.trashRetentionMillis() == BucketPolicy.CLUSTER_DEFAULT ? "cluster default"
                : p.trashRetentionMillis() == 0 ? "off" : DurationArg.format(p.trashRetentionMillis());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("bucket", b.name());
        doc.put("defaultClass", p.defaultClass().toString());
        Map<String, String> prefixes = new LinkedHashMap<>();
        p.prefixClasses().forEach((prefix, c) -> prefixes.put(prefix, c.toString()));
        doc.put("directoryClasses", prefixes);
        doc.put("trashRetention", trash);
        doc.put("coldAfter", p.coldAfterMillis() == 0 ? null : DurationArg.format(p.coldAfterMillis()));
        doc.put("coldClass", p.coldAfterMillis() == 0 ? null : p.coldClass().toString());
        out.print(doc, () -> {
            StringBuilder sb = new StringBuilder(String.format("bucket %s%n  default class: %s", b.name(), p.defaultClass()));
            p.prefixClasses().forEach((prefix, c) -> sb.append(String.format("%n  %s/%s: %s", b.name(), prefix, c)));
            sb.append(String.format("%n  trash retention: %s", trash));
            sb.append(String.format("%n  cold conversion: %s", p.coldAfterMillis() == 0 ? "off"
                    : "replicated data older than " + DurationArg.format(p.coldAfterMillis()) + " -> " + p.coldClass()));
            return sb.toString();
        });
    }

    /** "bucket" or "bucket/dir/sub": the bucket and the prefix ("" or ending in "/"). */
    record Target(String bucket, String prefix) {
        static Target parse(String path) {
            String p = path.startsWith("/") ? path.substring(1) : path;
            int slash = p.indexOf('/');
            if (slash < 0) {
                return new Target(p, "");
            }
            String prefix = p.substring(slash + 1);
            return new Target(p.substring(0, slash), prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/");
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Set the class of a bucket (its default) or of a directory in it; existing data is re-coded in the background.")
    static final class Set implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Mixin
        OutputOption out;

        @Parameters(index = "0", paramLabel = "PATH", description = "BUCKET or BUCKET/DIR (a key prefix).")
        String path;

        @Parameters(index = "1", paramLabel = "CLASS", description = "REPLICATED_n or EC_k_m, e.g. EC_8_4.")
        String storageClass;

        @Option(names = "--wait", description = "Then wait until no object awaits re-coding, with progress on stderr.")
        boolean await;

        @Option(names = "--wait-timeout", defaultValue = "24h", paramLabel = "DURATION",
                description = "Give up waiting after this long (default: ${DEFAULT-VALUE}); the re-coding goes on.")
        String waitTimeout;

        @Option(names = "--progress", defaultValue = "auto", paramLabel = "auto|always|never",
                description = "With --wait: progress on stderr (auto: a line rewritten every second on a terminal, one every 10 s otherwise).")
        String progress;

        @Override
        public Integer call() throws Exception {
            Target t = Target.parse(path);
            StorageClass c = StorageClass.parse(storageClass);
            long changed = System.currentTimeMillis();
            int status = update(masters, out, t.bucket(), p -> p.withPrefixClass(t.prefix(), c));
            return await ? masters.withMetadata(m -> RecodeWait.await(m, changed, DurationArg.millis(waitTimeout), progress, out.json)) : status;
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true,
            description = "Remove a directory's class: its objects follow the bucket (or a parent directory) again.")
    static final class Clear implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Mixin
        OutputOption out;

        @Parameters(paramLabel = "BUCKET/DIR")
        String path;

        @Override
        public Integer call() throws Exception {
            Target t = Target.parse(path);
            if (t.prefix().isEmpty()) {
                throw new IllegalArgumentException("a bucket always has a class; use `admin class set BUCKET CLASS`");
            }
            return update(masters, out, t.bucket(), p -> p.withPrefixClass(t.prefix(), null));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a bucket's classes, trash retention and cold conversion.")
    static final class Show implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Mixin
        OutputOption out;

        @Parameters(paramLabel = "BUCKET")
        String bucket;

        @Override
        public Integer call() throws Exception {
            return masters.withMetadata(metadata -> {
                print(out, metadata.getBucket(bucket).get(30, TimeUnit.SECONDS));
                return 0;
            });
        }
    }

    @Command(name = "cold", mixinStandardHelpOptions = true,
            description = "Convert replicated objects older than an age to an erasure-coded class (or --off).")
    static final class Cold implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Mixin
        OutputOption out;

        @Parameters(paramLabel = "BUCKET")
        String bucket;

        @Option(names = "--after", paramLabel = "AGE", description = "Age by last modification, e.g. 30d, 12h.")
        String after;

        @Option(names = "--to", paramLabel = "CLASS", description = "The erasure-coded class, e.g. EC_8_4.")
        String to;

        @Option(names = "--off", description = "Stop converting.")
        boolean off;

        @Override
        public Integer call() throws Exception {
            if (off) {
                return update(masters, out, bucket, p -> p.withColdConversion(0, null));
            }
            if (after == null || to == null) {
                throw new IllegalArgumentException("give --after AGE and --to CLASS, or --off");
            }
            StorageClass c = StorageClass.parse(to);
            if (c.kind() != StorageClass.Kind.ERASURE) {
                throw new IllegalArgumentException("cold data converts to an erasure-coded class (EC_k_m), not " + c);
            }
            long age = DurationArg.millis(after);
            if (age <= 0) {
                throw new IllegalArgumentException("--after must be positive");
            }
            return update(masters, out, bucket, p -> p.withColdConversion(age, c));
        }
    }
}
