package io.mooseng.cli.bench;

import picocli.CommandLine.Mixin;
import io.mooseng.cli.ProgressOption;
import io.mooseng.cli.ByteSizes;
import io.mooseng.chunkserver.ChunkServer;
import io.mooseng.core.maintenance.MaintenanceConfig;
import io.mooseng.core.model.MaintenanceReport;
import io.mooseng.core.model.StorageClass;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;

/**
 * {@code mooseng bench repair}: fills in-process chunkservers until one holds --node-bytes,
 * stops that one, and times the leader's repair from the moment it declares the chunkserver
 * lost until every block is whole again: MiB of shards rebuilt per second.
 */
@Command(name = "repair", mixinStandardHelpOptions = true, description = "Repair speed after losing a chunkserver.")
public final class RepairBench implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "./bench-repair", description = "Data folder, deleted afterwards (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--storage-class", defaultValue = "EC_4_2", description = "Class of the data (default: ${DEFAULT-VALUE}).")
    String storageClass;

    @Option(names = "--chunkservers", defaultValue = "7", description = "Chunkservers; one more than the class's shards leaves room to repair (default: ${DEFAULT-VALUE}).")
    int chunkservers;

    @Option(names = "--node-bytes", defaultValue = "2GiB", description = "Bytes the lost chunkserver holds (default: ${DEFAULT-VALUE}).")
    String nodeBytes;

    @Option(names = "--repair-rate-mib", defaultValue = "0", description = "Repair rate limit, 0 = unbounded (default: ${DEFAULT-VALUE}).")
    long rateMib;

    @Option(names = "--concurrency", defaultValue = "" + MaintenanceConfig.DEFAULT_REPAIR_CONCURRENCY, description = "Shards rebuilt at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Mixin
    ProgressOption progress;

    @Override
    public Integer call() throws Exception {
        StorageClass sc = StorageClass.parse(storageClass);
        MaintenanceConfig config = new MaintenanceConfig(3_600_000, 1_000, rateMib << 20, concurrency, 3_600_000, 86_400_000,
                0.2, 256L << 20, 0, 0, 100, 86_400_000, 3_600_000);
        int objectSize = 8 << 20;
        long target = ByteSizes.parse(nodeBytes);
        // placement spreads overhead x content evenly over the chunkservers
        int objects = (int) Math.max(1, (target * (double) chunkservers / sc.overhead()) / objectSize);
        try (BenchCluster c = BenchCluster.start(dir, chunkservers, config)) {
            long started = System.nanoTime();
            long written = c.write("repair", sc, objects, objectSize, progress.mode);
            double writeSeconds = (System.nanoTime() - started) / 1e9;
            ChunkServer victim = c.cluster.chunkServers().stream()
                    .max(Comparator.comparingLong(cs -> cs.store().usage().liveBytes())).orElseThrow();
            long victimBytes = victim.store().usage().liveBytes();
            System.out.printf("wrote %d objects, %.0f MiB of content in %.1f s (%.0f MiB/s); %s holds %.0f MiB of shards%n",
                    objects, written / 1048576.0, writeSeconds, written / 1048576.0 / writeSeconds, victim.nodeId(), victimBytes / 1048576.0);
            c.cluster.maintenance().runCycle(); // every chunkserver seen alive
            c.cluster.stopChunkserver(c.cluster.chunkServers().indexOf(victim));
            MaintenanceReport r;
            long cycleStart;
            do {
                Thread.sleep(200);
                cycleStart = System.nanoTime();
                r = c.cluster.maintenance().runCycle();
            } while (r.lostChunkservers().isEmpty());
            // the cycle that declared it lost queued its blocks and repaired what it could; later ones finish the rest
            long damaged = Math.max(1, r.underReplicated() + r.endangered() + r.lost());
            try (BenchProgress shown = BenchProgress.start(progress.mode, "repairing damaged blocks", damaged)) {
                shown.done(damaged - (r.underReplicated() + r.endangered() + r.lost()));
                while (r.underReplicated() + r.endangered() + r.lost() > 0) {
                    long before = r.underReplicated() + r.endangered() + r.lost();
                    r = c.cluster.maintenance().runCycle();
                    shown.done(before - (r.underReplicated() + r.endangered() + r.lost()));
                }
            }
            double seconds = (System.nanoTime() - cycleStart) / 1e9;
            System.out.printf("repaired %d shards, %.0f MiB in %.1f s from the cycle that found the loss: %.0f MiB/s%n",
                    r.repairedShards(), r.repairedBytes() / 1048576.0, seconds, r.repairedBytes() / 1048576.0 / seconds);
        } finally {
            Folders.deleteTree(dir);
        }
        return 0;
    }
}
