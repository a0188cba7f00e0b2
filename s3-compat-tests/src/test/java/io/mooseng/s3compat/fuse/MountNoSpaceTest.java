package io.mooseng.s3compat.fuse;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Disk full under a mount: the chunkservers run out of room, or the mount's staging folder
 * does. The writer gets ENOSPC, files closed before are intact, and the mount goes on working.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MountNoSpaceTest {
    private static final int MIB = 1 << 20;

    /** Chunkservers 2, 4 and 6 share 24 MiB: EC 4+2 puts half of every block there. */
    @RegisterExtension
    static final MountedCluster cluster = MountedCluster.withSmallDisk(24L * MIB);

    /** Last: the chunkservers stay full (deleted shards are reclaimed later, by the trash and GC). */
    @Test
    @Order(2)
    void fullChunkserversFailTheWriterWithEnospcAndKeepClosedFiles() throws Exception {
        Path bucket = cluster.newBucket("full-chunkservers");
        byte[] kept = random(1, 5 * MIB);
        Files.write(bucket.resolve("kept.bin"), kept);

        // 64 MiB needs 48 MiB on the small disk; the failure shows at a write or at close
        IOException full = assertThrows(IOException.class, () -> {
            try (FileChannel out = FileChannel.open(bucket.resolve("too-big.bin"), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer chunk = ByteBuffer.wrap(random(2, MIB));
                for (int i = 0; i < 64; i++) {
                    out.write(chunk.rewind());
                }
            }
        });
        assertTrue(String.valueOf(full.getMessage()).contains("No space left on device"), full.toString());

        assertArrayEquals(kept, Files.readAllBytes(bucket.resolve("kept.bin")));
        assertArrayEquals(kept, cluster.s3().getObjectAsBytes(b -> b.bucket("full-chunkservers").key("kept.bin")).asByteArray());
        // small files live in metadata: the namespace stays usable while the chunkservers are full
        Files.delete(bucket.resolve("too-big.bin"));
        Files.writeString(bucket.resolve("note.txt"), "still works");
        assertArrayEquals("still works".getBytes(), Files.readAllBytes(bucket.resolve("note.txt")));
    }

    @Test
    @Order(1)
    void aFullStagingFolderFailsTheRandomWriterWithEnospc() throws Exception {
        Path root = cluster.mount(cluster.smallDisk("small-staging", MIB));
        Path bucket = Files.createDirectory(root.resolve("full-staging"));
        byte[] original = random(3, 1000);
        Files.write(bucket.resolve("file.bin"), original);

        // a write at an offset stages the whole file locally, which needs more than 1 MiB here
        byte[] written = random(4, 2 * MIB);
        IOException full = assertThrows(IOException.class, () -> {
            try (RandomAccessFile file = new RandomAccessFile(bucket.resolve("file.bin").toFile(), "rw")) {
                file.seek(100);
                file.write(written);
            }
        });
        assertTrue(String.valueOf(full.getMessage()).contains("No space left on device"), full.toString());
        // the write calls that returned before the disk filled are kept, as on a local disk
        byte[] now = Files.readAllBytes(bucket.resolve("file.bin"));
        assertTrue(now.length >= original.length && now.length < 100 + written.length, "length " + now.length);
        assertArrayEquals(Arrays.copyOf(original, 100), Arrays.copyOf(now, 100));
        assertArrayEquals(Arrays.copyOf(written, now.length - 100), Arrays.copyOfRange(now, 100, now.length));

        // the staging file is gone with the handle: a small random write fits again
        Files.write(bucket.resolve("small.bin"), original);
        try (RandomAccessFile file = new RandomAccessFile(bucket.resolve("small.bin").toFile(), "rw")) {
            file.seek(10);
            file.write(new byte[] {1, 2, 3});
        }
        byte[] expected = original.clone();
        System.arraycopy(new byte[] {1, 2, 3}, 0, expected, 10, 3);
        assertArrayEquals(expected, Files.readAllBytes(bucket.resolve("small.bin")));
    }

    private static byte[] random(long seed, int size) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
