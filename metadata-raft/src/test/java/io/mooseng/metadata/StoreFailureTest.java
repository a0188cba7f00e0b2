package io.mooseng.metadata;

import io.mooseng.core.model.StorageClass;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.metadata.raft.MetadataServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static io.mooseng.metadata.Fixtures.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One master's broken store takes that master out, never the group. */
@Timeout(120)
class StoreFailureTest {

    @Test
    void aCorruptDatabaseFailsStartUpClearlyAndTheGroupGoesOn(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            RaftMetadataService meta = cluster.client();
            join(meta.createBucket("b", StorageClass.EC_4_2, 1));
            join(meta.putObject("b", key("before"), manifest(1, "e1", 1)));
            String victim = follower(cluster);
            cluster.stopPeer(victim);
            try (Stream<Path> files = Files.walk(cluster.storageOf(victim))) {
                for (Path f : files.filter(p -> p.toString().contains("/sm/db/") && p.getFileName().toString().startsWith("MANIFEST")).toList()) {
                    Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
                }
            }
            IOException e = assertThrows(IOException.class, () -> cluster.startPeer(victim));
            assertTrue(rootMessage(e).toLowerCase().contains("corrupt") || rootMessage(e).contains("MANIFEST"),
                    "the cause names the damage: " + rootMessage(e));
            join(meta.putObject("b", key("after"), manifest(1, "e2", 2)));
            assertEquals("e2", join(meta.getObject("b", key("after"))).etag());
        }
    }

    /**
     * A follower whose disk fills up: a small tmpfs mounted for the test (root only; skipped
     * elsewhere). The peer stops serving once free space is below its minimum, with that
     * reason; the group goes on.
     */
    @Test
    void aFullDiskStopsThatMasterAndTheGroupGoesOn(@TempDir Path dir) throws Exception {
        Path small = Files.createDirectories(dir.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=80m", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0, "needs root to mount a small tmpfs");
        try (TestCluster cluster = TestCluster.start(dir.resolve("group"), 3)) {
            RaftMetadataService meta = cluster.client();
            join(meta.createBucket("b", StorageClass.EC_4_2, 1));
            String victim = follower(cluster);
            cluster.stopPeer(victim);
            // the victim comes back on the small disk, with what it had
            copyTree(cluster.storageOf(victim), small.resolve("peer"));
            MetadataServer full = cluster.start(cluster.configOf(victim, small.resolve("peer")));
            CompletableFuture<Throwable> failed = new CompletableFuture<>();
            full.onFailure(failed::complete);
            byte[] inline = new byte[4000];
            for (int i = 0; i < 20_000 && !failed.isDone(); i++) {
                join(meta.putObject("b", key("fill/" + i), Fixtures.inline(inline, "f" + i)));
            }
            Throwable cause = failed.get(60, TimeUnit.SECONDS);
            System.out.println("StoreFailureTest: full disk stopped the peer: " + cause);
            assertTrue(cause.getMessage().contains("free space"), cause.toString());
            assertThrows(IllegalStateException.class, full::status, "the peer no longer serves");
            join(meta.putObject("b", key("after-full"), manifest(1, "ok", 1)));
            assertEquals("ok", join(meta.getObject("b", key("after-full"))).etag());
        } finally {
            new ProcessBuilder("umount", "-l", small.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String follower(TestCluster cluster) {
        List<String> followers = cluster.addresses().stream().filter(a -> !cluster.server(a).status().leader()).toList();
        return followers.get(0);
    }

    private static String rootMessage(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" / ");
        }
        return sb.toString();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("in_use.lock")) {
                    Files.copy(p, target);
                }
            }
        }
    }
}
