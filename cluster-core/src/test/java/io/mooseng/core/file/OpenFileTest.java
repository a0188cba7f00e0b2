package io.mooseng.core.file;

import io.mooseng.core.chunk.ChunkserverDirectory;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ETags;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.PosixAttributes;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.object.MemoryChunkCluster;
import io.mooseng.core.object.ObjectService;
import io.mooseng.core.object.ObjectServiceConfig;
import io.mooseng.core.placement.RendezvousPlacement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file API (reads, read-ahead, page cache, append, patches, staging, truncate and the
 * commit of kept blocks) over the real object service and data path, on in-memory
 * chunkservers and an in-memory inode table.
 */
class OpenFileTest {
    private static final String BUCKET = "files";
    private static final int BLOCK = 1 << 20;
    private static final int READ_AHEAD = 2;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final MemoryChunkCluster cluster = new MemoryChunkCluster(8);
    private final MemoryInodes inodes = new MemoryInodes(cluster.infos(), StorageClass.EC_4_2);
    private final ByteBudget budget = new ByteBudget("test", 256L << 20);
    private final ObjectService objects = new ObjectService(inodes.service(), cluster,
            new ChunkserverDirectory(inodes.service(), 60_000, 60_000, System::currentTimeMillis), new RendezvousPlacement(),
            new ObjectServiceConfig(BLOCK, 4096, 2, 2, StorageClass.EC_4_2, 5 << 20, 0, 1000), pool, System::currentTimeMillis, budget);
    private final AtomicLong nextInode = new AtomicLong(100);
    /** The inode of each file made by {@link #file}, by the manifest it was made with. */
    private final Map<ObjectManifest, Long> madeAs = new IdentityHashMap<>();
    @TempDir
    Path staging;

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void readsAcrossBlockBoundaries() {
        byte[] data = random(3 * BLOCK + BLOCK / 2, 1);
        OpenFile f = reopen(file("a", data), 1 << 20);
        for (long[] r : new long[][]{{0, 100}, {BLOCK - 10, 20}, {BLOCK - 1, 2 * BLOCK + 2}, {2 * BLOCK, BLOCK}, {3 * BLOCK + 5, BLOCK}}) {
            int length = (int) r[1];
            byte[] expected = Arrays.copyOfRange(data, (int) r[0], (int) Math.min(data.length, r[0] + length));
            assertArrayEquals(expected, read(f, r[0], length), "bytes at " + r[0]);
        }
        assertEquals(0, read(f, data.length, 10).length, "nothing at the end");
        assertEquals(0, read(f, data.length + 5L, 10).length, "nothing past the end");
    }

    @Test
    void aSequentialReaderFetchesAheadARandomReadDoesNot() {
        ObjectManifest m = file("seq", random(8 * BLOCK, 2));
        List<BlockId> ids = m.blocks().stream().map(BlockRef::id).toList();
        cluster.takeBlocksRead();
        OpenFile sequential = reopen(m, 0);
        read(sequential, 0, 128 << 10);
        Set<BlockId> read = awaitBlocksRead(Set.of(ids.get(0), ids.get(1), ids.get(2)));
        assertEquals(Set.of(ids.get(0), ids.get(1), ids.get(2)), read, "block 0 and the " + READ_AHEAD + " next ones");

        OpenFile random = reopen(m, 0);
        long far = 5L * BLOCK + 1000;
        read(random, far, 4096);
        pause();
        assertEquals(Set.of(ids.get(5)), cluster.takeBlocksRead(), "a random read fetches its own bytes only");

        read(random, far + 4096, 128 << 10);
        assertEquals(Set.of(ids.get(5), ids.get(6), ids.get(7)), awaitBlocksRead(Set.of(ids.get(5), ids.get(6), ids.get(7))),
                "the read after it is sequential: its block and the next ones");
    }

    @Test
    void aRandomReadLandingNearTheLastIsNoStreamUntilASecondOneDoes() {
        ObjectManifest m = file("near", random(8 * BLOCK, 3));
        List<BlockId> ids = m.blocks().stream().map(BlockRef::id).toList();
        OpenFile f = reopen(m, 0);
        read(f, 2L * BLOCK + 1000, 4096);
        pause();
        cluster.takeBlocksRead();
        // within 2 MiB of the last read but not where it ended: as likely a random read as the kernel's reordering
        read(f, 3L * BLOCK + 1000, 4096);
        pause();
        assertEquals(Set.of(ids.get(3)), cluster.takeBlocksRead(), "one near read fetches its own bytes only");
        read(f, 3L * BLOCK + 200_000, 4096);
        assertEquals(Set.of(ids.get(3), ids.get(4), ids.get(5)), awaitBlocksRead(Set.of(ids.get(3), ids.get(4), ids.get(5))),
                "two near reads in a row are a stream: its block and the next ones");
    }

    @Test
    void thePageCacheServesRepeatedRandomReadsOfEveryFile() {
        byte[] data = random(6 * BLOCK, 3);
        ObjectManifest m = file("pages", data);
        FileService files = service(8L * PageCache.PAGE_BYTES);
        OpenFile f = files.open(BUCKET, "pages", inodeOf(m), m);
        long at = 4L * BLOCK + 3 * PageCache.PAGE_BYTES + 17;
        cluster.takeBlocksRead();
        assertArrayEquals(Arrays.copyOfRange(data, (int) at, (int) at + 4096), read(f, at, 4096));
        assertFalse(cluster.takeBlocksRead().isEmpty(), "the first read fetched its page");
        assertEquals(1, files.pages().pages(), "one page kept");

        // each a first (random) read of its open file: a read near the previous one would count as sequential
        OpenFile other = files.open(BUCKET, "pages", inodeOf(m), m);
        assertArrayEquals(Arrays.copyOfRange(data, (int) at + 100, (int) at + 200), read(other, at + 100, 100));
        assertTrue(cluster.takeBlocksRead().isEmpty(), "a repeated read, from any open file of the content, came from the cache");

        read(reopen(m, 0), at, 4096);
        cluster.takeBlocksRead();
        read(reopen(m, 0), at, 4096);
        assertFalse(cluster.takeBlocksRead().isEmpty(), "without a page cache a random read fetches its range each time");
    }

    @Test
    void aWriteInsideABlockCommitsOnlyThatBlockAnew() {
        byte[] data = random(4 * BLOCK, 4);
        ObjectManifest m = file("patch", data);
        OpenFile f = reopen(m, 0);
        byte[] patch = random(100, 40);
        assertEquals(100, f.write(ByteBuffer.wrap(patch), BLOCK + 10, false));
        System.arraycopy(patch, 0, data, BLOCK + 10, 100);
        assertArrayEquals(Arrays.copyOfRange(data, BLOCK, BLOCK + 200), read(f, BLOCK, 200), "the patch reads back before the commit");

        ObjectManifest committed = f.flush();
        assertEquals(data.length, committed.size());
        assertKept(m, committed, 0, 2, 3);
        assertNotEquals(m.blocks().get(1).id(), committed.blocks().get(1).id(), "the patched block is new");
        assertEquals(ETags.composite(List.of(m.etag(), ETags.md5Hex(Arrays.copyOfRange(data, BLOCK, 2 * BLOCK))), 4), committed.etag(),
                "a multipart-style ETag of the old content and the new block");
        assertArrayEquals(data, readAll(committed));
    }

    @Test
    void aWriteAcrossABlockBoundaryCommitsBothBlocksAnew() {
        byte[] data = random(4 * BLOCK, 5);
        ObjectManifest m = file("across", data);
        OpenFile f = reopen(m, 0);
        byte[] patch = random(1000, 50);
        f.write(ByteBuffer.wrap(patch), 2L * BLOCK - 500, false);
        System.arraycopy(patch, 0, data, 2 * BLOCK - 500, 1000);
        ObjectManifest committed = f.flush();
        assertKept(m, committed, 0, 3);
        assertEquals(ETags.composite(List.of(m.etag(), ETags.md5Hex(Arrays.copyOfRange(data, BLOCK, 2 * BLOCK)),
                ETags.md5Hex(Arrays.copyOfRange(data, 2 * BLOCK, 3 * BLOCK))), 4), committed.etag());
        assertArrayEquals(data, readAll(committed));
    }

    @Test
    void aWritePastTheEndLeavesAHoleOfZeros() {
        byte[] data = random(2 * BLOCK + 300, 6);
        ObjectManifest m = file("hole", data);
        OpenFile f = reopen(m, 0);
        byte[] tail = random(5000, 60);
        long at = data.length + 70_000L;
        f.write(ByteBuffer.wrap(tail), at, false);
        assertEquals(at + tail.length, f.size());
        byte[] expected = Arrays.copyOf(data, (int) at + tail.length);
        System.arraycopy(tail, 0, expected, (int) at, tail.length);
        assertArrayEquals(Arrays.copyOfRange(expected, data.length - 10, data.length + 100), read(f, data.length - 10, 110),
                "the hole reads as zeros while staged");
        ObjectManifest committed = f.flush();
        assertEquals(ETags.md5Hex(expected), committed.etag(), "staged content is uploaded whole");
        assertArrayEquals(expected, readAll(committed));
    }

    @Test
    void anAppendKeepsTheBlocksBeforeTheLast() {
        byte[] data = random(3 * BLOCK + BLOCK / 2, 7);
        ObjectManifest m = file("log", data);
        OpenFile f = reopen(m, 0);
        byte[] more = random(10_000, 70);
        f.write(ByteBuffer.wrap(more), 0, true);
        byte[] expected = Arrays.copyOf(data, data.length + more.length);
        System.arraycopy(more, 0, expected, data.length, more.length);
        ObjectManifest committed = f.flush();
        assertEquals(expected.length, committed.size());
        assertKept(m, committed, 0, 1, 2);
        assertEquals(ETags.composite(List.of(m.etag(), ETags.md5Hex(Arrays.copyOfRange(expected, 3 * BLOCK, expected.length))), 4),
                committed.etag(), "the old content's ETag and the rewritten tail's");
        assertArrayEquals(expected, readAll(committed));
    }

    @Test
    void anAppendOverBlocksAnotherWriterReplacedFailsItsCommit() {
        byte[] data = random(3 * BLOCK + 10, 8);
        ObjectManifest m = file("raced", data);
        OpenFile appender = reopen(m, 0);
        appender.write(ByteBuffer.wrap(random(100, 80)), 0, true);
        OpenFile patcher = reopen(m, 0);
        patcher.write(ByteBuffer.wrap(new byte[]{1, 2, 3}), 10, false);
        patcher.flush();
        MooseException e = assertThrows(MooseException.class, appender::flush);
        assertEquals(ErrorCode.CONCURRENT_CHANGE, e.code());
        assertArrayEquals(readAll(inodes.inodes.get(inodeOf(m))), readAll(patcher.entry().manifest()), "the other writer's content stands");
    }

    @Test
    void truncateShrinksAndGrowsWithZeros() {
        byte[] data = random(3 * BLOCK, 9);
        ObjectManifest m = file("trunc", data);
        OpenFile f = reopen(m, 0);
        f.truncate(BLOCK + 100);
        assertArrayEquals(Arrays.copyOf(data, BLOCK + 100), readAll(f.flush()));
        f.truncate(2L * BLOCK);
        assertArrayEquals(Arrays.copyOf(data, BLOCK + 100), Arrays.copyOf(read(f, 0, 2 * BLOCK), BLOCK + 100));
        assertArrayEquals(Arrays.copyOf(Arrays.copyOf(data, BLOCK + 100), 2 * BLOCK), readAll(f.flush()));
        f.close();

        OpenFile again = service(0).open(BUCKET, "trunc", inodeOf(m), inodes.inodes.get(inodeOf(m)));
        again.truncate(0);
        byte[] fresh = random(5000, 90);
        again.write(ByteBuffer.wrap(fresh), 0, false);
        assertArrayEquals(fresh, readAll(again.flush()), "O_TRUNC then a new content");
        MooseException tooLarge = assertThrows(MooseException.class, () -> again.truncate(ObjectManifest.MAX_SIZE + 1));
        assertEquals(ErrorCode.ENTITY_TOO_LARGE, tooLarge.code());
    }

    @Test
    void aFileUnlinkedWhileOpenCommitsNothing() {
        ObjectManifest m = file("gone", random(2 * BLOCK, 10));
        OpenFile f = reopen(m, 0);
        f.write(ByteBuffer.wrap(random(10, 100)), 5, false);
        inodes.inodes.remove(inodeOf(m));
        assertNull(f.flush(), "its content goes with it");
    }

    /** The check that lets the kernel keep its pages of a file reopened (FOPEN_KEEP_CACHE). */
    @Test
    void sameContentMeansTheSameBlocksOrInlineBytes() {
        byte[] data = random(2 * BLOCK, 11);
        ObjectManifest m = file("keep", data);
        assertTrue(OpenFile.sameContent(m, m));
        ObjectManifest chmodded = m.withAttributes(m.mtimeMillis() + 5000, m.properties(), PosixAttributes.defaultFile(1).withPermissions(0600, 2));
        assertTrue(OpenFile.sameContent(m, chmodded), "attributes are not content");

        OpenFile f = reopen(m, 0);
        f.write(ByteBuffer.wrap(new byte[]{data[7]}), 7, false);
        ObjectManifest rewritten = f.flush();
        assertEquals(m.size(), rewritten.size());
        assertFalse(OpenFile.sameContent(m, rewritten), "the same bytes in a new block are another content: the kernel's pages may be stale");

        ObjectManifest small = file("small", new byte[]{1, 2, 3});
        ObjectManifest otherSmall = file("small2", new byte[]{1, 2, 4});
        assertTrue(small.inline(), "(small content lives in metadata)");
        assertFalse(OpenFile.sameContent(small, otherSmall), "inline bytes are compared");
        assertTrue(OpenFile.sameContent(small, file("small3", new byte[]{1, 2, 3})));
        assertFalse(OpenFile.sameContent(small, file("longer", new byte[]{1, 2, 3, 4})));
    }

    // ---- fixtures

    private FileService service(long pageCacheBytes) {
        return new FileService(objects, pageCacheBytes, staging, System::currentTimeMillis, READ_AHEAD);
    }

    /** A new file with this content, committed through the file API; @return its manifest */
    private ObjectManifest file(String key, byte[] data) {
        long inode = nextInode.getAndIncrement();
        ObjectManifest empty = objects.entryManifest(BUCKET, key, new byte[0], PosixAttributes.defaultFile(0)).join();
        inodes.inodes.put(inode, empty);
        OpenFile f = service(0).open(BUCKET, key, inode, empty);
        assertEquals(data.length, f.write(ByteBuffer.wrap(data), 0, false));
        ObjectManifest m = f.flush();
        f.close();
        assertEquals(data.length, m.size());
        madeAs.put(m, inode);
        return m;
    }

    private long inodeOf(ObjectManifest m) {
        return madeAs.get(m);
    }

    private OpenFile reopen(ObjectManifest m, long pageCacheBytes) {
        return service(pageCacheBytes).open(BUCKET, "k", inodeOf(m), m);
    }

    private static byte[] read(OpenFile f, long offset, int length) {
        ByteBuffer into = ByteBuffer.allocate(length);
        int n = f.read(into, offset);
        assertEquals(n, into.position());
        return Arrays.copyOf(into.array(), n);
    }

    private byte[] readAll(ObjectManifest m) {
        OpenFile f = service(0).open(BUCKET, "k", 1, m);
        return read(f, 0, (int) m.size());
    }

    private static void assertKept(ObjectManifest before, ObjectManifest after, int... positions) {
        assertEquals(before.blocks().size(), after.blocks().size());
        for (int i : positions) {
            assertEquals(before.blocks().get(i).id(), after.blocks().get(i).id(), "block " + i + " is kept");
        }
    }

    /** The blocks read until {@code expected} were (bounded wait), and any read after a moment more. */
    private Set<BlockId> awaitBlocksRead(Set<BlockId> expected) {
        Set<BlockId> read = new HashSet<>();
        long deadline = System.currentTimeMillis() + 5000;
        while (!read.containsAll(expected) && System.currentTimeMillis() < deadline) {
            read.addAll(cluster.takeBlocksRead());
            Thread.onSpinWait();
        }
        pause();
        read.addAll(cluster.takeBlocksRead());
        return read;
    }

    /** Long enough for a read-ahead started by mistake to reach the chunkservers. */
    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
