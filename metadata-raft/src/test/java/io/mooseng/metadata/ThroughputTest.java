package io.mooseng.metadata;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ListPage;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.StorageClass;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.metadata.raft.RaftStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static io.mooseng.metadata.Fixtures.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many concurrent commands are pipelined and batched, and so are many concurrent queries;
 * all of them land, each with its own answer. No performance assertion.
 */
@Timeout(60)
class ThroughputTest {
    private static final int COMMANDS = 2000;

    @Test
    void concurrentPuts(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 1)) {
            RaftMetadataService meta = cluster.client();
            join(meta.createBucket("t", StorageClass.EC_4_2, 1));
            // round 0 runs on a cold JIT; both rounds are reported
            for (int round = 0; round < 2; round++) {
                RaftStatus before = cluster.leader().status();
                long start = System.nanoTime();
                List<CompletableFuture<?>> puts = new ArrayList<>();
                for (int i = 0; i < COMMANDS; i++) {
                    puts.add(meta.putObject("t", key(round + "dir" + (i % 20) + "/obj" + i), manifest(100, "e" + i, i)));
                }
                CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
                double seconds = (System.nanoTime() - start) / 1e9;
                long entries = cluster.leader().status().appliedEntries() - before.appliedEntries();
                System.out.printf("ThroughputTest round %d: %d concurrent PutObject in %.2f s = %.0f commits/s, %d log entries%n",
                        round, COMMANDS, seconds, COMMANDS / seconds, entries);
                assertTrue(entries < COMMANDS, "commands were batched into fewer entries: " + entries);
            }

            int listed = 0;
            String next = null;
            do {
                ListPage page = join(meta.listObjects("t", new ListRequest("", null, next, 1000)));
                listed += page.objects().size();
                next = page.nextStartAfter();
            } while (next != null);
            assertEquals(2 * COMMANDS, listed);
            List<CompletableFuture<ObjectInfo>> gets = new ArrayList<>();
            List<CompletableFuture<ObjectInfo>> missing = new ArrayList<>();
            for (int i = 0; i < COMMANDS; i++) {
                gets.add(meta.getObject("t", key("1dir" + (i % 20) + "/obj" + i)));
                if (i % 100 == 0) {
                    missing.add(meta.getObject("t", key("absent" + i)));
                }
            }
            for (int i = 0; i < COMMANDS; i++) {
                assertEquals("e" + i, join(gets.get(i)).etag());
            }
            // a query of a batch fails alone
            for (CompletableFuture<ObjectInfo> m : missing) {
                assertEquals(ErrorCode.NO_SUCH_KEY, MooseException.of(assertThrows(CompletionException.class, m::join)).code());
            }
        }
    }
}
