package io.mooseng.chunkserver.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ShardId;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads a byte range of one shard record and verifies it: the checksums of every 64 KiB
 * piece the range touches, and the whole-payload checksum when the range is the whole
 * shard. Two positional reads: the piece checksums, then the pieces.
 */
final class ShardReader {
    private static final int PIECE = PieceChecksums.PIECE_BYTES;

    private ShardReader() {
    }

    /**
     * @return bytes [offset, end) of the shard, 0 <= offset < end <= its length
     * @throws MooseException SHARD_CORRUPT if the bytes on disk do not match their checksums
     */
    static ByteBuffer read(ShardId id, Location at, Segment segment, long offset, long end) throws IOException {
        int first = (int) (offset / PIECE);
        int last = (int) ((end - 1) / PIECE);
        long dataFrom = (long) first * PIECE;
        long dataTo = Math.min((long) (last + 1) * PIECE, at.length());
        ByteBuffer table = ByteBuffer.allocate(4 * (last - first + 1));
        ByteBuffer data = ByteBuffer.allocate((int) (dataTo - dataFrom));
        try {
            segment.readFully(table, at.tablePosition() + 4L * first);
            segment.readFully(data, at.payloadPosition() + dataFrom);
        } catch (EOFException e) {
            throw corrupt(id, at, "the segment ends inside the record");
        }
        table.flip();
        data.flip();
        for (int piece = first; piece <= last; piece++) {
            int from = (int) ((long) piece * PIECE - dataFrom);
            ByteBuffer bytes = data.duplicate().position(from).limit(Math.min(from + PIECE, data.limit()));
            if (PieceChecksums.crc32c(bytes) != table.getInt()) {
                throw corrupt(id, at, "checksum mismatch in 64 KiB piece " + piece);
            }
        }
        if (offset == 0 && end == at.length() && PieceChecksums.crc32c(data) != at.crc()) {
            throw corrupt(id, at, "whole-shard checksum mismatch");
        }
        return data.position((int) (offset - dataFrom)).limit((int) (end - dataFrom)).slice();
    }

    private static MooseException corrupt(ShardId id, Location at, String why) {
        return new MooseException(ErrorCode.SHARD_CORRUPT, "shard " + id + " is corrupt (" + why + ") in "
                + Segment.fileName(at.segment()) + " at offset " + at.offset());
    }
}
