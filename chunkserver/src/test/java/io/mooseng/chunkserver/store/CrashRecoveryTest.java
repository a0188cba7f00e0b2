package io.mooseng.chunkserver.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.mooseng.chunkserver.store.TestShards.content;
import static io.mooseng.chunkserver.store.TestShards.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Damage done to segment files on disk, and what the store makes of it. */
class CrashRecoveryTest {
    private static final int SIZE = 200_000;

    @TempDir
    Path dir;

    private Path segment1() {
        return dir.resolve(Segment.fileName(1));
    }

    /** File position of byte {@code n} of the payload of the {@code record}-th record (all of SIZE bytes). */
    private static long payloadByte(int record, int n) {
        long recordBytes = RecordHeader.recordBytes(SIZE);
        return record * recordBytes + RecordHeader.BYTES + 4L * PieceChecksums.pieceCount(SIZE) + n;
    }

    private void putThree() throws IOException {
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            for (int i = 0; i < 3; i++) {
                store.put(id(i), content(i, SIZE));
            }
        }
    }

    @Test
    void aFlippedPayloadByteIsReportedCorruptAndQuarantined() throws IOException {
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            store.put(id(0), content(0, SIZE));
            store.put(id(1), content(1, 1000));
            flipByte(segment1(), payloadByte(0, 70_000));
            // pieces 0 and 2 are intact: a ranged read that avoids piece 1 still works
            assertEquals(content(0, SIZE).slice(0, 65536), store.get(id(0), 0, 65536));
            assertEquals(content(0, SIZE).slice(131_072, 10), store.get(id(0), 131_072, 10));
            MooseException e = assertThrows(MooseException.class, () -> store.get(id(0), 69_999, 2));
            assertEquals(ErrorCode.SHARD_CORRUPT, e.code());
            // from now on it is missing, so the master rebuilds it elsewhere
            assertEquals(-1, store.size(id(0)));
            assertEquals(ErrorCode.SHARD_NOT_FOUND, assertThrows(MooseException.class, () -> store.get(id(0), 0, SIZE)).code());
            assertEquals(1, store.quarantinedShards());
            assertEquals(content(1, 1000), store.get(id(1), 0, 1000));
        }
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            assertEquals(-1, store.size(id(0)), "the quarantine is durable");
            assertEquals(1, store.usage().shards());
        }
    }

    @Test
    void quarantineRemovesAPresentShardOnly() throws IOException {
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            store.put(id(0), content(0, 100));
            assertTrue(store.quarantine(id(0), "test"));
            assertFalse(store.quarantine(id(0), "test"));
            assertFalse(store.quarantine(id(9), "test"));
            assertEquals(-1, store.size(id(0)));
            assertEquals(1, store.quarantinedShards());
        }
    }

    @Test
    void garbageAfterTheLastRecordIsCutOff() throws IOException {
        putThree();
        long intact = Files.size(segment1());
        Files.write(segment1(), new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41}, StandardOpenOption.APPEND);
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            assertEquals(intact, Files.size(segment1()));
            for (int i = 0; i < 3; i++) {
                assertEquals(content(i, SIZE), store.get(id(i), 0, SIZE));
            }
            store.put(id(3), content(3, 1000));
        }
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            assertEquals(4, store.usage().shards());
            assertEquals(content(3, 1000), store.get(id(3), 0, 1000));
        }
    }

    @Test
    void aHalfWrittenLastRecordIsCutOff() throws IOException {
        putThree();
        long cut = payloadByte(2, SIZE / 2);
        try (FileChannel ch = FileChannel.open(segment1(), StandardOpenOption.WRITE)) {
            ch.truncate(cut);
        }
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            assertEquals(2 * RecordHeader.recordBytes(SIZE), Files.size(segment1()));
            assertEquals(content(0, SIZE), store.get(id(0), 0, SIZE));
            assertEquals(content(1, SIZE), store.get(id(1), 0, SIZE));
            assertEquals(-1, store.size(id(2)));
            store.put(id(2), content(22, 500));
        }
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            assertEquals(content(22, 500), store.get(id(2), 0, 500));
        }
    }

    @Test
    void aLastRecordWithDamagedPayloadIsDroppedAfterAnUncleanStop() throws IOException {
        putThree();
        Files.delete(dir.resolve(CleanShutdown.FILE_NAME));
        flipByte(segment1(), payloadByte(2, 5));
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            assertEquals(2, store.usage().shards());
            assertEquals(2 * RecordHeader.recordBytes(SIZE), Files.size(segment1()));
        }
    }

    @Test
    void aDamagedRecordBeforeIntactOnesIsSkippedAfterAnUncleanStop() throws IOException {
        putThree();
        Files.delete(dir.resolve(CleanShutdown.FILE_NAME));
        flipByte(segment1(), payloadByte(1, 5));
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            assertEquals(-1, store.size(id(1)));
            assertEquals(content(2, SIZE), store.get(id(2), 0, SIZE));
            assertEquals(RecordHeader.recordBytes(SIZE), store.segments().get(0).deadBytes());
        }
    }

    @Test
    void corruptionInACleanlyClosedSegmentIsKeptAndWritesGoToANewSegment() throws IOException {
        putThree();
        flipByte(segment1(), RecordHeader.recordBytes(SIZE) + 10);
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            assertEquals(1, store.usage().shards());
            assertEquals(3 * RecordHeader.recordBytes(SIZE), Files.size(segment1()), "damaged bytes kept");
            store.put(id(7), content(7, 100));
        }
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            assertEquals(content(7, 100), store.get(id(7), 0, 100));
            assertEquals(2, store.segments().size());
        }
    }

    static void flipByte(Path file, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) (b.get(0) ^ 0x40));
            ch.write(b.rewind(), position);
        }
    }
}
