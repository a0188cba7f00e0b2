package io.mooseng.s3compat.fuse;

import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ObjectManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes into part of a large file rewrite only the blocks they touch: an append (O_APPEND,
 * logs) rewrites the last block, a write into the middle the blocks under it; the bytes read
 * back are the bytes written, in the mount and over S3, and a write over content another
 * client replaced meanwhile fails instead of committing blocks that are gone.
 */
class MountPartialRewriteTest {
    private static final int MIB = 1 << 20;

    @RegisterExtension
    static final MountedCluster cluster = new MountedCluster();

    @Test
    void appendsKeepTheLeadingBlocksAndReadBackWhole() throws Exception {
        Path bucket = cluster.newBucket("appends");
        Path log = bucket.resolve("big.log");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] start = random(1, 9 * MIB);
        Files.write(log, start);
        expected.write(start);
        List<BlockId> before = blockIds("appends", "big.log");
        assertTrue(before.size() >= 3, "9 MiB is several blocks: " + before);

        byte[] more = random(2, 300_000);
        Files.write(log, more, StandardOpenOption.APPEND);
        expected.write(more);
        List<BlockId> after = blockIds("appends", "big.log");
        assertEquals(before.subList(0, before.size() - 1), after.subList(0, before.size() - 1), "leading blocks kept");
        assertNotEquals(before.get(before.size() - 1), after.get(before.size() - 1), "the last block is rewritten");

        // many small appends, each its own open and close, across a block boundary
        Random r = new Random(3);
        for (int i = 0; i < 40; i++) {
            byte[] line = random(100 + i, 1 + r.nextInt(200_000));
            Files.write(log, line, StandardOpenOption.APPEND);
            expected.write(line);
        }
        byte[] all = expected.toByteArray();
        assertArrayEquals(all, Files.readAllBytes(log));
        assertArrayEquals(all, cluster.s3().getObjectAsBytes(b -> b.bucket("appends").key("big.log")).asByteArray());
        assertTrue(cluster.s3().headObject(b -> b.bucket("appends").key("big.log")).eTag().contains("-"),
                "an appended file's ETag is not an MD5 of the content, and says so");

        // a small file (inline in metadata) grows into blocks by appends
        Path small = bucket.resolve("small.txt");
        Files.writeString(small, "first line\n");
        byte[] big = random(4, 5 * MIB);
        Files.write(small, big, StandardOpenOption.APPEND);
        byte[] both = ByteBuffer.allocate(11 + big.length).put("first line\n".getBytes()).put(big).array();
        assertArrayEquals(both, Files.readAllBytes(small));
    }

    @Test
    void writesIntoTheMiddleRewriteOnlyTheBlocksUnderThem() throws Exception {
        Path bucket = cluster.newBucket("patches");
        Path file = bucket.resolve("image.bin");
        byte[] model = random(11, 17 * MIB);
        Files.write(file, model);
        List<BlockId> before = blockIds("patches", "image.bin");
        assertEquals(5, before.size(), "17 MiB in 4 MiB blocks");

        byte[] small = random(12, 10);
        byte[] across = random(13, 100_000);
        long acrossAt = 12L * MIB - 50_000;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(6L * MIB);
            f.write(small);
            f.seek(acrossAt);
            f.write(across);
            // read back before the commit: the patched blocks answer
            byte[] seen = new byte[across.length];
            f.seek(acrossAt);
            f.readFully(seen);
            assertArrayEquals(across, seen);
        }
        System.arraycopy(small, 0, model, 6 * MIB, small.length);
        System.arraycopy(across, 0, model, (int) acrossAt, across.length);
        assertArrayEquals(model, Files.readAllBytes(file));
        assertArrayEquals(model, cluster.s3().getObjectAsBytes(b -> b.bucket("patches").key("image.bin")).asByteArray());

        List<BlockId> after = blockIds("patches", "image.bin");
        assertEquals(5, after.size());
        assertEquals(before.get(0), after.get(0), "untouched block kept");
        assertEquals(before.get(4), after.get(4), "untouched block kept");
        for (int i = 1; i <= 3; i++) {
            assertNotEquals(before.get(i), after.get(i), "block " + i + " was written into");
        }
    }

    @Test
    void anAppendOverContentAnotherMountRewroteFailsAndLeavesTheirContent() throws Exception {
        Path bucket = cluster.newBucket("append-race");
        Path file = bucket.resolve("shared.bin");
        Files.write(file, random(5, 9 * MIB));
        Path elsewhere = cluster.mount().resolve("append-race").resolve("shared.bin");
        byte[] replacement = random(6, 100_000);
        IOException failed = assertThrows(IOException.class, () -> {
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                out.write(ByteBuffer.wrap(random(7, 50_000)));
                // another mount rewrites the same inode meanwhile: the blocks this append keeps are freed
                Files.write(elsewhere, replacement);
            }
        });
        assertTrue(String.valueOf(failed.getMessage()).contains("Input/output error"), failed.toString());
        assertArrayEquals(replacement, Files.readAllBytes(file));
        assertArrayEquals(replacement, cluster.s3().getObjectAsBytes(b -> b.bucket("append-race").key("shared.bin")).asByteArray());
    }

    private static List<BlockId> blockIds(String bucket, String key) throws Exception {
        ObjectManifest m = cluster.cluster().objects().lookup(bucket, key).get(30, TimeUnit.SECONDS).manifest();
        return m.blocks().stream().map(BlockRef::id).toList();
    }

    private static byte[] random(long seed, int size) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
