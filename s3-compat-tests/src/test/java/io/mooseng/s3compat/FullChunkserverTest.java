package io.mooseng.s3compat;

import io.mooseng.core.chunk.ChunkserverDirectory;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.StorageClass;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.mooseng.s3compat.TestData.MiB;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One chunkserver's disk fills up: seven chunkservers on 64 MiB tmpfs disks of their own
 * (root only, skipped elsewhere; equal disks, so placement weighs them alike), one of them
 * filled with a file to 3 MiB of free space. PUTs keep succeeding on the others, placement
 * skips the full one once it reports, and a metric says so.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FullChunkserverTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskIsSkippedAndNoPutFails() throws Exception {
        for (int i = 1; i <= 7; i++) {
            Path disk = Files.createDirectories(dir.resolve("chunkserver-" + i));
            Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", disk.toString()) == 0,
                    "needs root to mount small tmpfs disks");
        }
        Path full = dir.resolve("chunkserver-3");
        Files.write(full.resolve("filler"), new byte[61 * MiB]);
        try (HealingCluster c = HealingCluster.start(dir, 7, StorageClass.EC_4_2, HealingCluster.MAINTENANCE)) {
            c.s3.createBucket(b -> b.bucket("fill"));
            Map<String, byte[]> data = new LinkedHashMap<>();
            for (int i = 0; i < 40; i++) {
                byte[] bytes = TestData.bytes(i, 1 * MiB);
                data.put("f" + i, bytes);
                c.put("fill", "f" + i, bytes); // throws on any failed PUT
            }
            // cs3's heartbeat reports the full disk; the gateway's placement view (and the gauge
            // read from it) follows within its refresh period, a scrape starting the refresh
            long deadline = System.currentTimeMillis() + 20_000;
            ChunkserverInfo cs3 = null;
            String metrics = "";
            while (System.currentTimeMillis() < deadline) {
                cs3 = c.cluster.metadata().listChunkservers().get(30, TimeUnit.SECONDS).stream()
                        .filter(cs -> cs.id().equals("cs3")).findFirst().orElseThrow();
                metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(c.cluster.endpoint() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (ChunkserverDirectory.full(cs3) && metrics.contains("mooseng_placement_full_chunkservers 1.0")) {
                    break;
                }
                Thread.sleep(HealingCluster.HEARTBEAT.toMillis());
            }
            assertTrue(ChunkserverDirectory.full(cs3), "cs3 reports a full disk: " + cs3);
            assertTrue(metrics.contains("mooseng_placement_full_chunkservers 1.0"), "full chunkservers metric");
            data.forEach((k, v) -> c.assertContent("fill", k, v));
        } finally {
            for (int i = 1; i <= 7; i++) {
                run("umount", "-l", dir.resolve("chunkserver-" + i).toString());
            }
        }
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
