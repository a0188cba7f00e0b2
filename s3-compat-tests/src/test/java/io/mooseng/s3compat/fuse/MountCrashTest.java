package io.mooseng.s3compat.fuse;

import io.mooseng.core.metadata.DirectoryLeases;
import io.mooseng.s3compat.TempDirs;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.TreeSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of a `mooseng mount` process while it writes: every file fsynced before the kill is
 * there, the files closed without fsync are there up to some point in the order they were
 * closed (each whole or not at all), the dead mount's directory leases end after their TTL,
 * and the mount point comes back.
 */
class MountCrashTest {
    @RegisterExtension
    static final MountedCluster cluster = new MountedCluster();

    @Test
    void afterAKillFsyncedFilesAreThereAndTheOthersAreWhatWasClosedUpToSomePoint() throws Exception {
        cluster.newBucket("crash");
        Path work = Files.createTempDirectory("mooseng-crash-");
        Path point = Files.createDirectory(work.resolve("mnt"));
        Random random = new Random(11);
        List<byte[]> closed = new ArrayList<>();
        Set<Integer> synced = new TreeSet<>();
        Process mount = startMount(point);
        try {
            Path dir = Files.createDirectories(point.resolve("crash/work"));
            for (int i = 0; i < 60; i++) {
                byte[] data = new byte[i % 10 == 0 ? 5 << 20 : i % 2 == 0 ? 1 + random.nextInt(4096) : 1 + random.nextInt(200_000)];
                random.nextBytes(data);
                try (FileChannel ch = FileChannel.open(dir.resolve("closed-" + i), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(data));
                    if (i % 7 == 0) {
                        ch.force(true);
                        synced.add(i);
                    }
                }
                closed.add(data);
            }
            // a file still being written when the process dies
            try (OutputStream open = Files.newOutputStream(dir.resolve("open-at-kill"))) {
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

        // S3 waits for the dead mount's lease on the directory until the leader takes it, no longer
        long started = System.nanoTime();
        Set<String> keys = new TreeSet<>(cluster.s3().listObjectsV2Paginator(b -> b.bucket("crash").prefix("work/")).contents()
                .stream().map(S3Object::key).toList());
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(waitedMillis < DirectoryLeases.TTL.toMillis() + 5_000, "waited " + waitedMillis + " ms for the dead mount's lease");
        int present = 0;
        while (keys.contains("work/closed-" + present)) {
            present++;
        }
        for (int i = present; i < closed.size(); i++) {
            assertFalse(keys.contains("work/closed-" + i), "closed-" + i + " is there but closed-" + present + " is not");
        }
        int last = present;
        synced.forEach(i -> assertTrue(i < last, "fsynced closed-" + i + " is missing"));
        for (int i = 0; i < present; i++) {
            int n = i;
            assertArrayEquals(closed.get(i), cluster.s3().getObjectAsBytes(b -> b.bucket("crash").key("work/closed-" + n)).asByteArray(),
                    "closed-" + n);
        }

        Process again = startMount(point);
        try {
            for (int i = 0; i < present; i++) {
                assertArrayEquals(closed.get(i), Files.readAllBytes(point.resolve("crash/work/closed-" + i)), "closed-" + i);
            }
        } finally {
            again.destroy();
            again.waitFor(30, TimeUnit.SECONDS);
            run("fusermount", "-u", point.toString());
        }
        if (!Files.readString(Path.of("/proc/mounts")).contains(" " + point + " ")) {
            TempDirs.delete(work); // a failed run keeps the mount's log
        }
    }

    /** `mooseng mount` in a child JVM on the test classpath; returns once the kernel lists the mount. */
    private static Process startMount(Path point) throws Exception {
        Path log = point.resolveSibling("mount.log");
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
