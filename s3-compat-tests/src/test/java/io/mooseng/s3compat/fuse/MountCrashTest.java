package io.mooseng.s3compat.fuse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kill -9 of a `mooseng mount` process while it writes: closed files survive and the mount point comes back. */
class MountCrashTest {
    @RegisterExtension
    static final MountedCluster cluster = new MountedCluster();

    @Test
    void filesClosedBeforeAKillSurviveAndTheMountPointCanBeMountedAgain() throws Exception {
        cluster.newBucket("crash");
        Path point = Files.createTempDirectory("mooseng-crash-mnt-");
        Random random = new Random(11);
        List<byte[]> closed = new ArrayList<>();
        Process mount = startMount(point);
        try {
            Path bucket = point.resolve("crash");
            for (int i = 0; i < 40; i++) {
                byte[] data = new byte[i % 4 == 0 ? 5 << 20 : 1 + random.nextInt(200_000)];
                random.nextBytes(data);
                Files.write(bucket.resolve("closed-" + i), data);
                closed.add(data);
            }
            // a file still being written when the process dies
            try (OutputStream open = Files.newOutputStream(bucket.resolve("open-at-kill"))) {
                open.write(new byte[3 << 20]);
                open.flush();
                mount.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            } catch (IOException expected) {
                // the mount went away under the writer
            }
        } finally {
            mount.destroyForcibly();
        }

        assertEquals(0, run("fusermount", "-u", point.toString()), "fusermount -u after kill -9");
        Process again = startMount(point);
        try {
            for (int i = 0; i < closed.size(); i++) {
                int n = i;
                assertArrayEquals(closed.get(i), Files.readAllBytes(point.resolve("crash/closed-" + n)), "closed-" + n);
                assertArrayEquals(closed.get(i), cluster.s3().getObjectAsBytes(b -> b.bucket("crash").key("closed-" + n)).asByteArray());
            }
        } finally {
            again.destroy();
            again.waitFor(30, TimeUnit.SECONDS);
            run("fusermount", "-u", point.toString());
        }
    }

    /** `mooseng mount` in a child JVM on the test classpath; returns once the kernel lists the mount. */
    private static Process startMount(Path point) throws Exception {
        Path log = point.resolveSibling(point.getFileName() + "-mount.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.mooseng.cli.Main", "mount",
                "--masters", cluster.cluster().raftAddress().toString(), point.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.readString(Path.of("/proc/mounts")).contains(" " + point + " ")) {
            assertTrue(p.isAlive() && System.currentTimeMillis() < deadline, "mount did not come up:\n" + Files.readString(log));
            Thread.sleep(100);
        }
        return p;
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command));
        return p.exitValue();
    }
}
