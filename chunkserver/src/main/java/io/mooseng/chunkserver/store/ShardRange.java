package io.mooseng.chunkserver.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A range of a shard located in its segment file, to be sent from the file as it is (no
 * copy through memory) and verified by whoever receives it: {@code length} bytes at
 * {@code position} of {@code file}, which are the shard's bytes from {@code offset} on,
 * widened to whole 64 KiB pieces so that each can be checked against {@code pieceCrcs}
 * (and the whole shard against {@code shardCrc} when the range is all of it).
 *
 * <p>A short range is read into memory instead ({@code bytes}, with {@code file} null): see
 * {@link SegmentShardStore#readRange}.
 *
 * <p>The range owns {@code file}, a channel of its own on the segment file: compaction may
 * retire the segment meanwhile (closing the store's channel and unlinking the file), and an
 * open channel keeps the bytes of an unlinked file readable. Close the range once sent.
 *
 * @param file        open on the segment file; null when {@code length} is 0 or the bytes are in memory
 * @param bytes       the range's bytes (position 0, {@code length} remaining) when read into memory, else null
 * @param offset      shard offset of the first byte, a multiple of 64 KiB (0 when empty)
 * @param pieceCrcs   CRC32C of each 64 KiB piece of the range, the last one possibly shorter
 * @param shardLength the whole shard's length
 * @param shardCrc    CRC32C of the whole shard
 */
public record ShardRange(FileChannel file, ByteBuffer bytes, long position, long offset, int length, int[] pieceCrcs,
                         int shardLength, int shardCrc) implements AutoCloseable {
    /** Bytes covered by each piece checksum. */
    public static final int PIECE_BYTES = PieceChecksums.PIECE_BYTES;

    static ShardRange empty(Location at) {
        return new ShardRange(null, null, 0, 0, 0, new int[0], at.length(), at.crc());
    }

    static ShardRange inMemory(ByteBuffer bytes, long offset, int[] pieceCrcs, int shardLength, int shardCrc) {
        return new ShardRange(null, bytes, 0, offset, bytes.remaining(), pieceCrcs, shardLength, shardCrc);
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}
