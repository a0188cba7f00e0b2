package io.mooseng.cli;

import io.mooseng.cli.bench.CensusBench;
import io.mooseng.cli.bench.FailoverBench;
import io.mooseng.cli.bench.WanRelay;
import io.mooseng.cli.bench.SyncLagBench;
import io.mooseng.cli.bench.FuseBindingBench;
import io.mooseng.cli.bench.HeartbeatBench;
import io.mooseng.cli.bench.MetadataBench;
import io.mooseng.cli.bench.OverheadBench;
import io.mooseng.cli.bench.RepairBench;
import io.mooseng.cli.bench.PresignCommand;
import io.mooseng.cli.bench.S3Bench;
import io.mooseng.cli.bench.ShardStoreBench;
import picocli.CommandLine.Command;

/** {@code mooseng bench}: load generators whose figures go into docs/BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (S3 load, metadata commits, heartbeats, failover, repair, storage overhead, shard store).",
        subcommands = {S3Bench.class, MetadataBench.class, PresignCommand.class, WanRelay.class, SyncLagBench.class, FailoverBench.class, RepairBench.class,
                OverheadBench.class, ShardStoreBench.class, HeartbeatBench.class, FuseBindingBench.class, CensusBench.class})
final class BenchCommand {
}
