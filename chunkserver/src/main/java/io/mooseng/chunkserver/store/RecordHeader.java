package io.mooseng.chunkserver.store;

import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.ShardId;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The fixed 40-byte header in front of every segment record, big-endian:
 * <pre>
 *  0  int   magic "MSR1"
 *  4  byte  record type (1 put, 2 delete)
 *  5  byte[3] zero
 *  8  long  block id, high half
 * 16  long  block id, low half
 * 24  int   shard index
 * 28  int   payload length in bytes
 * 32  int   CRC32C of the whole payload
 * 36  int   CRC32C of bytes 0..35
 * </pre>
 * A put record continues with {@link PieceChecksums#pieceCount} ints (CRC32C of each
 * 64 KiB piece of the payload) and then the payload; a delete record ends here.
 */
record RecordHeader(RecordType type, ShardId id, int length, int payloadCrc) {
    static final int BYTES = 40;
    private static final int MAGIC = 0x4d535231;
    private static final int CRC_OFFSET = 36;

    /** Bytes of the whole record on disk: header, piece table and payload. */
    static long recordBytes(int payloadLength) {
        return BYTES + 4L * PieceChecksums.pieceCount(payloadLength) + payloadLength;
    }

    /** Bytes of this record on disk. */
    long recordBytes() {
        return recordBytes(length);
    }

    /** Offset of the payload from the start of the record. */
    long payloadOffset() {
        return BYTES + 4L * PieceChecksums.pieceCount(length);
    }

    /** Writes the header at {@code out}'s position, advancing it by {@link #BYTES}. */
    void encode(ByteBuffer out) {
        int start = out.position();
        out.putInt(MAGIC).put(type.code).put((byte) 0).putShort((short) 0)
                .putLong(id.block().hi()).putLong(id.block().lo()).putInt(id.index())
                .putInt(length).putInt(payloadCrc);
        CRC32C crc = new CRC32C();
        crc.update(out.duplicate().position(start).limit(start + CRC_OFFSET));
        out.putInt((int) crc.getValue());
    }

    /** This header followed by the piece table, ready to append. */
    ByteBuffer encodeWithPieces(int[] pieces) {
        ByteBuffer head = ByteBuffer.allocate(BYTES + 4 * pieces.length);
        encode(head);
        for (int crc : pieces) {
            head.putInt(crc);
        }
        return head.flip();
    }

    /**
     * Reads a header at {@code in}'s position (which advances by {@link #BYTES}).
     *
     * @return the header, or null if the bytes are not an intact header (torn or corrupt)
     */
    static RecordHeader decode(ByteBuffer in) {
        int start = in.position();
        CRC32C crc = new CRC32C();
        crc.update(in.duplicate().limit(start + CRC_OFFSET));
        int magic = in.getInt();
        RecordType type = RecordType.of(in.get());
        in.position(in.position() + 3);
        BlockId block = new BlockId(in.getLong(), in.getLong());
        int index = in.getInt();
        int length = in.getInt();
        int payloadCrc = in.getInt();
        int headerCrc = in.getInt();
        if (magic != MAGIC || type == null || headerCrc != (int) crc.getValue() || length < 0
                || (type == RecordType.DELETE && length != 0)) {
            return null;
        }
        return new RecordHeader(type, new ShardId(block, index), length, payloadCrc);
    }
}
