package io.mooseng.cli;

import io.mooseng.core.config.HostPort;
import io.mooseng.metadata.raft.MetadataServer;
import io.mooseng.metadata.raft.MetadataServerConfig;
import io.mooseng.metadata.raft.RaftMember;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mooseng master}: one voting member of the metadata Raft group. */
@Command(name = "master", mixinStandardHelpOptions = true,
        description = "Run one metadata server (master) of a group of 1, 3 or 5.")
final class MasterCommand implements Callable<Integer> {
    @Option(names = "--id", required = true, description = "This master's id, as in --peers (e.g. m1).")
    String id;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Folder of the Raft log and the metadata database.")
    Path data;

    @Option(names = "--raft-address", required = true, paramLabel = "HOST:PORT", description = "Where this master listens.")
    String raftAddress;

    @Option(names = "--peers", required = true, paramLabel = "ID=HOST:PORT,...",
            description = "Every master of the group, this one included (e.g. m1=10.0.0.1:9419,m2=10.0.0.2:9419,m3=10.0.0.3:9419); with --join, the current ones.")
    String peers;

    @Option(names = "--join", description = "Join a running group: --peers lists its current masters (without this one); "
            + "the master waits until `mooseng admin master add` adds it.")
    boolean join;

    @Option(names = "--election-timeout-ms", defaultValue = "150", paramLabel = "MS",
            description = "Minimum election timeout; the maximum is twice it. Leader loss to new leader takes about this long (default: ${DEFAULT-VALUE}).")
    long electionTimeoutMs;

    @Option(names = "--snapshot-every", defaultValue = "100000", paramLabel = "ENTRIES",
            description = "Log entries between automatic snapshots; the log is purged behind each (default: ${DEFAULT-VALUE}).")
    long snapshotEvery;

    @Override
    public Integer call() throws Exception {
        RaftMember self = new RaftMember(id, HostPort.parse(raftAddress).toString());
        List<RaftMember> members = RaftMember.parseList(peers);
        if (!join && members.stream().noneMatch(m -> m.equals(self))) {
            throw new IllegalArgumentException("--peers " + peers + " must list this master as " + self);
        }
        MetadataServerConfig config = (join ? MetadataServerConfig.joining(self, members, data.resolve("meta"))
                : MetadataServerConfig.member(self, members, data.resolve("meta")))
                .withElectionTimeout(Duration.ofMillis(electionTimeoutMs), Duration.ofMillis(2 * electionTimeoutMs))
                .withSnapshotThreshold(snapshotEvery);
        return MetadataPeerProcess.run(config, "master " + self, server -> { });
    }
}
