package io.mooseng.chunkserver.store;

/**
 * The whole 64 KiB pieces of a payload that cover a byte range of it: what a reader must
 * fetch to verify the range against the piece checksums.
 *
 * @param first index of the first piece
 * @param last  index of the last piece (inclusive)
 * @param from  payload offset of the first piece's first byte
 * @param to    payload offset just past the last piece's last byte (the payload's end at most)
 */
record PieceSpan(int first, int last, long from, long to) {

    /** The pieces covering [offset, end) of a payload of {@code payloadLength} bytes; 0 <= offset < end <= payloadLength. */
    static PieceSpan covering(long offset, long end, int payloadLength) {
        int first = (int) (offset / PieceChecksums.PIECE_BYTES);
        int last = (int) ((end - 1) / PieceChecksums.PIECE_BYTES);
        return new PieceSpan(first, last, (long) first * PieceChecksums.PIECE_BYTES,
                Math.min((long) (last + 1) * PieceChecksums.PIECE_BYTES, payloadLength));
    }

    int pieces() {
        return last - first + 1;
    }

    int bytes() {
        return (int) (to - from);
    }

    /** File position of the first covered checksum of the record at {@code at}. */
    long tablePosition(Location at) {
        return at.tablePosition() + 4L * first;
    }

    /** File position of the first covered payload byte of the record at {@code at}. */
    long payloadPosition(Location at) {
        return at.payloadPosition() + from;
    }
}
