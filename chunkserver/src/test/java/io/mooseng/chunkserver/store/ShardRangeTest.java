package io.mooseng.chunkserver.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.mooseng.chunkserver.store.TestShards.content;
import static io.mooseng.chunkserver.store.TestShards.id;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link SegmentShardStore#openRange}, {@link SegmentShardStore#readRange} and
 * {@link SegmentShardStore#readCachedRange}: what a reader is given to send and to check, from
 * the file (zero-copy), read into memory, or read into memory only from the page cache.
 */
class ShardRangeTest {
    /** The two ways a range is located, which must agree. */
    enum Form {
        ZERO_COPY {
            @Override
            ShardRange open(SegmentShardStore store, int shard, long offset, int length) throws IOException {
                return store.openRange(id(shard), offset, length);
            }
        },
        IN_MEMORY {
            @Override
            ShardRange open(SegmentShardStore store, int shard, long offset, int length) throws IOException {
                return store.readRange(id(shard), offset, length, ByteBuffer::allocateDirect);
            }
        },
        /** Read into memory without waiting, the segments' pages being in the page cache. */
        FROM_PAGE_CACHE {
            @Override
            ShardRange open(SegmentShardStore store, int shard, long offset, int length) throws IOException {
                PageCache.load(store.directory());
                ShardRange range = store.readCachedRange(id(shard), offset, length, ByteBuffer::allocateDirect);
                assertNotNull(range, "the page cache holds the range");
                return range;
            }
        };

        abstract ShardRange open(SegmentShardStore store, int shard, long offset, int length) throws IOException;
    }

    private static final int PIECE = PieceChecksums.PIECE_BYTES;
    private static final int SIZE = 300_001;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Form.class)
    void widensARangeToWholePiecesWithTheirChecksums(Form form) throws IOException {
        ByteBuffer data = content(1, SIZE);
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            store.put(id(1), data);
            try (ShardRange range = form.open(store, 1, PIECE + 10, PIECE)) {
                assertEquals(PIECE, range.offset());
                assertEquals(2 * PIECE, range.length());
                assertEquals(SIZE, range.shardLength());
                assertEquals(PieceChecksums.of(data).whole(), range.shardCrc());
                assertArrayEquals(new int[] {crc(data, PIECE, 2 * PIECE), crc(data, 2 * PIECE, 3 * PIECE)}, range.pieceCrcs());
                assertEquals(data.slice(PIECE, 2 * PIECE), bytes(range));
            }
            try (ShardRange tail = form.open(store, 1, SIZE - 1, 100)) {
                assertEquals(4 * PIECE, tail.offset());
                assertEquals(SIZE - 4 * PIECE, tail.length());
                assertEquals(data.slice(4 * PIECE, SIZE - 4 * PIECE), bytes(tail));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void aRangePastTheEndIsEmptyAndAMissingShardNotFound(Form form) throws IOException {
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            store.put(id(1), content(1, 10));
            try (ShardRange empty = form.open(store, 1, 10, 5)) {
                assertEquals(0, empty.length());
                assertNull(empty.file());
                assertNull(empty.bytes());
                assertEquals(10, empty.shardLength());
            }
            assertEquals(ErrorCode.SHARD_NOT_FOUND,
                    assertThrows(MooseException.class, () -> form.open(store, 2, 0, 1)).code());
        }
    }

    @Test
    void anOpenRangeOutlivesCompactionRetiringItsSegment() throws IOException {
        ByteBuffer kept = content(1, 4096);
        // tiny segments: the shard's segment is sealed and mostly dead once its neighbour is deleted
        try (SegmentShardStore store = SegmentShardStore.open(dir, StoreOptions.defaults().withSegmentBytes(64 * 1024))) {
            store.put(id(1), kept);
            store.put(id(2), content(2, 60_000));
            store.put(id(3), content(3, 60_000));
            store.delete(id(2));
            try (ShardRange range = store.openRange(id(1), 0, 4096)) {
                Path segment = dir.resolve(Segment.fileName(1));
                assertEquals(1, store.compactOnce().segments());
                assertFalse(Files.exists(segment));
                assertEquals(kept, bytes(range));
            }
            for (Form form : Form.values()) {
                try (ShardRange moved = form.open(store, 1, 0, 4096)) {
                    assertEquals(kept, bytes(moved));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"ZERO_COPY", "IN_MEMORY"})
    void aRecordCutShortIsCorruptAndQuarantined(Form form) throws IOException {
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            store.put(id(1), content(1, SIZE));
            try (FileChannel file = FileChannel.open(dir.resolve(Segment.fileName(1)), StandardOpenOption.WRITE)) {
                file.truncate(file.size() - 1);
            }
            assertEquals(ErrorCode.SHARD_CORRUPT,
                    assertThrows(MooseException.class, () -> form.open(store, 1, SIZE - 10, 10)).code());
            assertEquals(-1, store.size(id(1)));
            assertEquals(1, store.quarantinedShards());
        }
    }

    @Test
    void aRecordCutShortIsLeftToTheBlockingRead() throws IOException {
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            store.put(id(1), content(1, SIZE));
            try (FileChannel file = FileChannel.open(dir.resolve(Segment.fileName(1)), StandardOpenOption.WRITE)) {
                file.truncate(file.size() - 1);
            }
            PageCache.load(dir);
            assertNull(store.readCachedRange(id(1), SIZE - 10, 10, ByteBuffer::allocateDirect));
            assertEquals(SIZE, store.size(id(1)), "quarantined by the blocking read, not here");
        }
    }

    @Test
    void aRangeNotInThePageCacheIsLeftToTheBlockingRead() throws IOException {
        ByteBuffer data = content(1, SIZE);
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            store.put(id(1), data);
            PageCache.evict(dir.resolve(Segment.fileName(1)));
            assertNull(store.readCachedRange(id(1), 2 * PIECE, 4096, ByteBuffer::allocateDirect));
            try (ShardRange read = store.readRange(id(1), 2 * PIECE, 4096, ByteBuffer::allocateDirect)) {
                assertEquals(data.slice(2 * PIECE, PIECE), bytes(read));
            }
            try (ShardRange cached = store.readCachedRange(id(1), 2 * PIECE, 4096, ByteBuffer::allocateDirect)) {
                assertNotNull(cached, "the blocking read brought the pieces into the page cache");
                assertEquals(data.slice(2 * PIECE, PIECE), bytes(cached));
            }
        }
    }

    @Test
    void aClosedStoreReadsNothingFromTheCache() throws IOException {
        SegmentShardStore store = SegmentShardStore.open(dir);
        store.put(id(1), content(1, 4096));
        PageCache.load(dir);
        store.close();
        assertNull(store.readCachedRange(id(1), 0, 4096, ByteBuffer::allocateDirect));
    }

    private static ByteBuffer bytes(ShardRange range) throws IOException {
        if (range.bytes() != null) {
            assertNull(range.file());
            return range.bytes();
        }
        ByteBuffer out = ByteBuffer.allocate(range.length());
        while (out.hasRemaining()) {
            range.file().read(out, range.position() + out.position());
        }
        return out.flip();
    }

    private static int crc(ByteBuffer data, int from, int to) {
        return PieceChecksums.crc32c(data.slice(from, to - from));
    }
}
