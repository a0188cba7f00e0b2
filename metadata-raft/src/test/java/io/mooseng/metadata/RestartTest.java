package io.mooseng.metadata;

import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.VersionListRequest;
import io.mooseng.core.model.Versioning;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.metadata.raft.MetadataServer;
import io.mooseng.metadata.raft.MetadataServerConfig;
import io.mooseng.metadata.raft.RaftStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static io.mooseng.metadata.Fixtures.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** State survives a restart; snapshots are RocksDB checkpoints that can also restore a lost database. */
@Timeout(60)
class RestartTest {
    // writes are batched: 60 objects in rounds of 10 make about 20 log entries
    private static final int SNAPSHOT_EVERY = 8;

    @TempDir
    Path dir;

    private MetadataServer start(String address) throws Exception {
        MetadataServer server = new MetadataServer(MetadataServerConfig.singleNode(address, dir).withSnapshotThreshold(SNAPSHOT_EVERY));
        long begin = System.nanoTime();
        server.start();
        long started = System.nanoTime();
        assertTrue(server.awaitLeader(Duration.ofSeconds(10)));
        long electionMillis = (System.nanoTime() - started) / 1_000_000;
        // start() itself is mostly class loading on a cold JVM; the election is what we tune
        System.out.printf("RestartTest: single peer started in %d ms, leading %d ms later%n",
                (started - begin) / 1_000_000, electionMillis);
        assertTrue(electionMillis < 2_000, "a single peer leads within 2 s, took " + electionMillis + " ms");
        return server;
    }

    private static void writeObjects(RaftMetadataService meta, int from, int to) {
        CompletableFuture.allOf(IntStream.range(from, to)
                .mapToObj(i -> meta.putObject("r", key("d" + (i % 7) + "/o" + i), manifest(i + 1, "e" + i, i)))
                .toArray(CompletableFuture[]::new)).join();
    }

    private static void checkObjects(RaftMetadataService meta, int count) {
        assertEquals(count, join(meta.listObjects("r", new ListRequest("", null, null, 1000))).objects().size());
        for (int i = 0; i < count; i++) {
            assertEquals("e" + i, join(meta.getObject("r", key("d" + (i % 7) + "/o" + i))).etag());
        }
        // a versioned bucket's noncurrent version lives in its own column family, checkpointed with the rest
        var versions = join(meta.listObjectVersions("rv", new VersionListRequest("", null, null, null, 10))).versions();
        assertEquals(List.of("v2", "v1"), versions.stream().map(v -> v.object().etag()).toList());
        assertEquals("v1", join(meta.getObjectVersion("rv", key("k"), versions.getLast().versionId())).object().etag());
    }

    @Test
    void stateAndIndexSurviveRestart() throws Exception {
        String address = "127.0.0.1:" + TestCluster.freePort();
        RaftStatus before;
        try (MetadataServer server = start(address); RaftMetadataService meta = RaftMetadataService.connect(List.of(address))) {
            join(meta.createBucket("r", StorageClass.EC_4_2, 1));
            join(meta.createBucket("rv", StorageClass.EC_4_2, 1));
            join(meta.setBucketPolicy("rv", BucketPolicy.of(StorageClass.EC_4_2).withVersioning(Versioning.ENABLED)));
            join(meta.putObject("rv", key("k"), manifest(1, "v1", 1)));
            join(meta.putObject("rv", key("k"), manifest(1, "v2", 2)));
            for (int i = 0; i < 60; i += 10) {
                writeObjects(meta, i, i + 10);
            }
            before = server.status();
            assertTrue(before.leader());
            assertTrue(before.snapshotIndex() > 0, "snapshots taken: " + before);
        }

        RaftStatus after;
        try (MetadataServer server = start(address); RaftMetadataService meta = RaftMetadataService.connect(List.of(address))) {
            checkObjects(meta, 60);
            after = server.status();
            assertTrue(after.lastAppliedIndex() >= before.lastAppliedIndex(), before + " -> " + after);
            assertTrue(after.term() > before.term(), before + " -> " + after);
            writeObjects(meta, 60, 61);
            assertTrue(server.status().lastAppliedIndex() > after.lastAppliedIndex());
        }

        // lose the database: the latest checkpoint plus the log rebuild it
        try (Stream<Path> dbs = Files.walk(dir)) {
            Path db = dbs.filter(p -> p.getFileName().toString().equals("db")).findFirst().orElseThrow();
            try (Stream<Path> files = Files.walk(db)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        try (MetadataServer server = start(address); RaftMetadataService meta = RaftMetadataService.connect(List.of(address))) {
            checkObjects(meta, 61);
        }
    }
}
