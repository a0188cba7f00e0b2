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
        PieceSpan span = PieceSpan.covering(offset, end, at.length());
        ByteBuffer table = ByteBuffer.allocate(4 * span.pieces());
        ByteBuffer data = ByteBuffer.allocate(span.bytes());
        try {
            segment.readFully(table, span.tablePosition(at));
            segment.readFully(data, span.payloadPosition(at));
        } catch (EOFException e) {
            throw corrupt(id, at, "the segment ends inside the record");
        }
        table.flip();
        data.flip();
        for (int piece = span.first(); piece <= span.last(); piece++) {
            int from = (int) ((long) piece * PIECE - span.from());
            ByteBuffer bytes = data.duplicate().position(from).limit(Math.min(from + PIECE, data.limit()));
            if (PieceChecksums.crc32c(bytes) != table.getInt()) {
                throw corrupt(id, at, "checksum mismatch in 64 KiB piece " + piece);
            }
        }
        if (offset == 0 && end == at.length() && PieceChecksums.crc32c(data) != at.crc()) {
            throw corrupt(id, at, "whole-shard checksum mismatch");
        }
        return data.position((int) (offset - span.from())).limit((int) (end - span.from())).slice();
    }

    static MooseException corrupt(ShardId id, Location at, String why) {
        return new MooseException(ErrorCode.SHARD_CORRUPT, "shard " + id + " is corrupt (" + why + ") in "
                + Segment.fileName(at.segment()) + " at offset " + at.offset());
    }
}
