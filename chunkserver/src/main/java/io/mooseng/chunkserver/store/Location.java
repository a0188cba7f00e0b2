package io.mooseng.chunkserver.store;

/**
 * Where the current record of a shard lives: 32 bytes a shard on a 64-bit JVM with
 * compressed oops. {@code crc} is the whole-payload CRC32C, kept so full reads can be
 * verified without reading the header again.
 */
record Location(int segment, long offset, int length, int crc) {

    long recordBytes() {
        return RecordHeader.recordBytes(length);
    }

    /** File position of the piece table. */
    long tablePosition() {
        return offset + RecordHeader.BYTES;
    }

    /** File position of the payload. */
    long payloadPosition() {
        return tablePosition() + 4L * PieceChecksums.pieceCount(length);
    }
}
