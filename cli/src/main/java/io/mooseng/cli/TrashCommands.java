package io.mooseng.cli;

import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.TrashEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code mooseng admin trash}: deleted objects stay in their bucket's trash for its retention
 * (MooseFS trash) and can be listed and restored until the maintenance service purges them.
 */
@Command(name = "trash", mixinStandardHelpOptions = true, description = "List and restore deleted objects; set retention.",
        subcommands = {TrashCommands.ListTrash.class, TrashCommands.Restore.class, TrashCommands.Retention.class})
final class TrashCommands {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Deleted objects of a bucket, oldest deletion first.")
    static final class ListTrash implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Mixin
        OutputOption out;

        @Parameters(paramLabel = "BUCKET")
        String bucket;

        @Override
        public Integer call() throws Exception {
            List<TrashEntry> entries = masters.withMetadata(metadata -> metadata.listTrash(bucket).get(30, TimeUnit.SECONDS)).stream()
                    .sorted(Comparator.comparingLong(TrashEntry::deletedMillis)).toList();
            List<Map<String, Object>> doc = entries.stream().<Map<String, Object>>map(e -> Map.of("inode", e.inode(),
                    "deleted", Instant.ofEpochMilli(e.deletedMillis()).toString(), "bytes", e.size(), "key", e.key())).toList();
            out.print(doc, () -> {
                StringBuilder sb = new StringBuilder(String.format("%-20s %-24s %12s  %s", "INODE", "DELETED", "BYTES", "KEY"));
                entries.forEach(e -> sb.append(String.format("%n%-20d %-24s %12d  %s", e.inode(), Instant.ofEpochMilli(e.deletedMillis()),
                        e.size(), e.key())));
                return sb.toString();
            });
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Put a deleted object back at its key (the latest deletion of KEY, or the entry --inode names).")
    static final class Restore implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Mixin
        OutputOption out;

        @Parameters(index = "0", paramLabel = "BUCKET")
        String bucket;

        @Parameters(index = "1", arity = "0..1", paramLabel = "KEY")
        String key;

        @Option(names = "--inode", paramLabel = "N", description = "The entry to restore, as `trash list` shows it.")
        Long inode;

        @Override
        public Integer call() throws Exception {
            return masters.withMetadata(metadata -> {
                long id;
                if (inode != null) {
                    id = inode;
                } else if (key != null) {
                    id = metadata.listTrash(bucket).get(30, TimeUnit.SECONDS).stream().filter(e -> e.key().equals(key))
                            .max(Comparator.comparingLong(TrashEntry::deletedMillis))
                            .orElseThrow(() -> new IllegalArgumentException("no deleted object " + key + " in the trash of " + bucket))
                            .inode();
                } else {
                    throw new IllegalArgumentException("name a KEY or an --inode");
                }
                ObjectInfo restored = metadata.restoreTrash(bucket, id).get(30, TimeUnit.SECONDS);
                out.print(Map.of("bucket", restored.bucket(), "key", restored.key(), "bytes", restored.size()),
                        () -> String.format("restored %s/%s (%d bytes)", restored.bucket(), restored.key(), restored.size()));
                return 0;
            });
        }
    }

    @Command(name = "retention", mixinStandardHelpOptions = true,
            description = "How long a bucket keeps deleted objects: a duration (7d, 12h), 0 for no trash, or 'default'.")
    static final class Retention implements Callable<Integer> {
        @Mixin
        MastersOption masters;

        @Mixin
        OutputOption out;

        @Parameters(index = "0", paramLabel = "BUCKET")
        String bucket;

        @Parameters(index = "1", paramLabel = "DURATION")
        String duration;

        @Override
        public Integer call() throws Exception {
            long millis = duration.equals("default") ? BucketPolicy.CLUSTER_DEFAULT : DurationArg.millis(duration);
            return PolicyCommands.update(masters, out, bucket, p -> p.withTrashRetention(millis));
        }
    }
}
