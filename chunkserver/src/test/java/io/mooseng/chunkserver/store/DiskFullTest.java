package io.mooseng.chunkserver.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.mooseng.chunkserver.store.TestShards.content;
import static io.mooseng.chunkserver.store.TestShards.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A really full disk: a 4 MiB tmpfs. Needs the right to mount (root in a container that
 * allows it); skipped elsewhere.
 */
class DiskFullTest {
    private static final int SIZE = 300_000;

    @TempDir
    Path tmp;
    private Path mountPoint;

    @AfterEach
    void unmount() throws Exception {
        if (mountPoint != null) {
            run("umount", mountPoint.toString());
        }
    }

    @Test
    void aFullDiskFailsThePutWithNoSpaceAndLeavesTheSegmentWhole() throws Exception {
        Path dir = tmp.resolve("small-disk");
        Files.createDirectories(dir);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", dir.toString()) == 0, "cannot mount tmpfs here");
        mountPoint = dir;
        int stored = 0;
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            MooseException full = null;
            while (full == null) {
                try {
                    store.put(id(stored), content(stored, SIZE));
                    stored++;
                } catch (MooseException e) {
                    full = e;
                }
            }
            assertEquals(ErrorCode.NO_SPACE, full.code());
            assertEquals(Files.size(dir.resolve(Segment.fileName(1))), store.usage().diskBytes(), "partial record cut off");
            int shards = stored;
            assertEquals(ErrorCode.NO_SPACE, assertThrows(MooseException.class,
                    () -> store.put(id(shards), content(shards, SIZE))).code());
        }
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            assertEquals(stored, store.usage().shards());
            for (int i = 0; i < stored; i++) {
                assertEquals(content(i, SIZE), store.get(id(i), 0, SIZE));
            }
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
