package io.mooseng.s3compat.fuse;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The mount's caches of file content (its page cache for random reads, the kernel's pages
 * kept from one open to the next) never serve bytes a file no longer holds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MountPageCacheTest {
    @RegisterExtension
    static final MountedCluster cluster = new MountedCluster();

    private static final Random RANDOM = new Random(11);
    private static final int SIZE = 12 << 20;
    /** Far enough apart (and from 0) that each read is a random one, served by the page cache. */
    private static final long[] OFFSETS = {9_000_000, 3_500_000, 11_000_000, 6_000_123, 500_000};

    @Test
    void aFileChangedOverS3ReadsFreshAtItsNextOpenWhateverTheCacheTtl() throws Exception {
        cluster.newBucket("paged-s3");
        // a mount trusting attributes for a minute: only open's question to the masters can make it see the change
        Path file = cluster.mountWithCacheTtl(60_000).resolve("paged-s3/f.bin");
        byte[] first = bytes(SIZE);
        cluster.put("paged-s3", "f.bin", first);
        assertRandomReads(first, file);
        assertRandomReads(first, file);            // from the page cache
        assertArrayEquals(first, Files.readAllBytes(file));
        assertArrayEquals(first, Files.readAllBytes(file));   // the kernel's pages, kept

        byte[] second = bytes(SIZE);                 // same size: only the bytes tell
        cluster.put("paged-s3", "f.bin", second);
        assertRandomReads(second, file);
        assertArrayEquals(second, Files.readAllBytes(file));
    }

    @Test
    void aFileRewrittenThroughTheMountReadsItsNewBytesAtOnce() throws Exception {
        Path file = cluster.newBucket("paged-own").resolve("f.bin");
        byte[] content = bytes(SIZE);
        Files.write(file, content);
        assertRandomReads(content, file);
        assertArrayEquals(content, Files.readAllBytes(file));

        // bytes rewritten in the middle: read back through the same handle, and after close
        byte[] patch = bytes(100_000);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            readAt(ch, OFFSETS[0], 4096);
            ch.write(ByteBuffer.wrap(patch), OFFSETS[0]);
            System.arraycopy(patch, 0, content, (int) OFFSETS[0], patch.length);
            assertArrayEquals(Arrays.copyOfRange(content, (int) OFFSETS[0], (int) OFFSETS[0] + 4096), readAt(ch, OFFSETS[0], 4096));
        }
        assertRandomReads(content, file);
        assertArrayEquals(content, Files.readAllBytes(file));

        // the whole file replaced
        byte[] replaced = bytes(SIZE);
        Files.write(file, replaced);
        assertRandomReads(replaced, file);
        assertArrayEquals(replaced, Files.readAllBytes(file));
    }

    /**
     * Two chunkservers stopped (EC 4+2 loses nothing): random reads whose shard was on them are
     * decoded from the others, which a FUSE thread reading on its own fetches at once. Last: the
     * chunkservers come back on new ports.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void randomReadsDecodeAroundStoppedChunkservers() throws Exception {
        cluster.newBucket("paged-degraded");
        byte[] content = bytes(SIZE);
        cluster.put("paged-degraded", "f.bin", content);
        Path file = cluster.mount().resolve("paged-degraded/f.bin");
        // 24 pages: each one's data shard is on a stopped chunkserver with odds 1 in 3, so some are decoded
        long[] offsets = RANDOM.longs(24, 0, SIZE - 4096).toArray();
        cluster.cluster().stopChunkserver(1);
        cluster.cluster().stopChunkserver(4);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (long at : offsets) {
                assertArrayEquals(Arrays.copyOfRange(content, (int) at, (int) at + 4096), readAt(ch, at, 4096), "4 KiB at " + at);
            }
        } finally {
            cluster.cluster().restartChunkserver(1);
            cluster.cluster().restartChunkserver(4);
        }
    }

    /** Opens the file and reads 4 KiB at each of {@link #OFFSETS}. */
    private static void assertRandomReads(byte[] expected, Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (long at : OFFSETS) {
                assertArrayEquals(Arrays.copyOfRange(expected, (int) at, (int) at + 4096), readAt(ch, at, 4096), "4 KiB at " + at);
            }
        }
    }

    private static byte[] readAt(FileChannel ch, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining() && ch.read(b, at + b.position()) > 0) {
            // until the whole range is read
        }
        return b.array();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
