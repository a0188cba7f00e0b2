package io.mooseng.cli.bench;

import picocli.CommandLine.Mixin;
import io.mooseng.cli.ProgressOption;
import io.mooseng.cli.ByteSizes;
import io.mooseng.core.maintenance.MaintenanceConfig;
import io.mooseng.core.model.StorageClass;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mooseng bench overhead}: bytes stored on the chunkservers' disks per byte of object
 * content, for each storage class, measured on 12 in-process chunkservers. On disk counts the
 * segment files (shard payload plus record headers and checksums); objects up to 4 KiB live
 * in metadata and are not measured here.
 */
@Command(name = "overhead", mixinStandardHelpOptions = true, description = "Storage overhead per class, as measured on disk.")
public final class OverheadBench implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "./bench-overhead", description = "Data folder, deleted afterwards (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--classes", split = ",", defaultValue = "REPLICATED_1,REPLICATED_2,REPLICATED_3,EC_4_2,EC_8_3,EC_8_4",
            description = "Classes to measure (default: ${DEFAULT-VALUE}).")
    List<String> classes;

    @Option(names = "--sizes", split = ",", defaultValue = "4MiB,1MiB,100KiB,16KiB",
            description = "Object sizes; each class gets --bytes of each (default: ${DEFAULT-VALUE}).")
    List<String> sizes;

    @Option(names = "--bytes", defaultValue = "64MiB", description = "Object bytes written per class and size (default: ${DEFAULT-VALUE}).")
    String bytes;

    @Mixin
    ProgressOption progress;

    @Override
    public Integer call() throws Exception {
        try (BenchCluster c = BenchCluster.start(dir, 12, MaintenanceConfig.DEFAULTS)) {
            System.out.printf("%-14s %-8s %8s %12s %12s %12s %10s %10s%n", "CLASS", "SIZE", "OBJECTS", "CONTENT_MIB", "SHARDS_MIB",
                    "ON_DISK_MIB", "OVERHEAD", "NOMINAL");
            int bucket = 0;
            for (String name : classes) {
                StorageClass sc = StorageClass.parse(name);
                for (String s : sizes) {
                    int size = (int) ByteSizes.parse(s);
                    int count = (int) Math.max(1, ByteSizes.parse(bytes) / size);
                    long[] before = c.stored();
                    long content = c.write("overhead-" + bucket++, sc, count, size, progress.mode);
                    long[] after = c.stored();
                    long shards = after[0] - before[0];
                    long disk = after[1] - before[1];
                    System.out.printf("%-14s %-8s %8d %12.1f %12.1f %12.1f %9.2fx %9.2fx%n", sc, ByteSizes.format(size), count,
                            content / 1048576.0, shards / 1048576.0, disk / 1048576.0, (double) disk / content, sc.overhead());
                }
            }
        } finally {
            Folders.deleteTree(dir);
        }
        return 0;
    }
}
