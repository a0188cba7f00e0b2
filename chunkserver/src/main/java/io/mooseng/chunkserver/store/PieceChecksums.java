package io.mooseng.chunkserver.store;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C of a payload, whole and per 64 KiB piece. The piece checksums let a ranged read
 * of a large shard verify only the pieces it touches.
 */
record PieceChecksums(int whole, int[] pieces) {
    static final int PIECE_BYTES = 64 * 1024;

    static int pieceCount(long payloadLength) {
        return (int) ((payloadLength + PIECE_BYTES - 1) / PIECE_BYTES);
    }

    /** Checksums of {@code payload}'s bytes position..limit; the buffer is not modified. */
    static PieceChecksums of(ByteBuffer payload) {
        ByteBuffer view = payload.duplicate();
        int[] pieces = new int[pieceCount(view.remaining())];
        CRC32C whole = new CRC32C();
        CRC32C piece = new CRC32C();
        for (int i = 0; i < pieces.length; i++) {
            int end = Math.min(view.limit(), view.position() + PIECE_BYTES);
            ByteBuffer slice = view.duplicate().limit(end);
            piece.reset();
            piece.update(slice.duplicate());
            whole.update(slice);
            pieces[i] = (int) piece.getValue();
            view.position(end);
        }
        return new PieceChecksums((int) whole.getValue(), pieces);
    }

    /** CRC32C of {@code data}'s bytes position..limit; the buffer is not modified. */
    static int crc32c(ByteBuffer data) {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return (int) crc.getValue();
    }
}
