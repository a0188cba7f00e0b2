package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.store.ShardRange;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Checks a range of shard bytes, widened to whole 64 KiB pieces, against the chunkserver's
 * piece checksums as the pieces complete (and against the whole shard's CRC32C when the range
 * is all of it): what a reader does over the transport as bytes arrive, and in one go when it
 * reads a chunkserver of its own process.
 */
final class PieceVerifier {
    private static final int PIECE = ShardRange.PIECE_BYTES;

    private final int[] pieceCrcs;
    private final int length;
    private final int shardCrc;
    private final CRC32C piece = new CRC32C();
    /** Over the whole shard when that is what is checked; else null. */
    private final CRC32C whole;
    private int checked;

    /**
     * @param length   bytes of the range (its pieces, the last possibly shorter)
     * @param entire   whether the range is the whole shard, to be checked against {@code shardCrc} too
     */
    PieceVerifier(int[] pieceCrcs, int length, boolean entire, int shardCrc) {
        this.pieceCrcs = pieceCrcs;
        this.length = length;
        this.shardCrc = shardCrc;
        this.whole = entire ? new CRC32C() : null;
    }

    /**
     * Checks every piece complete within {@code bytes[0, received)} not checked yet.
     *
     * @return the index (within the range) of a piece that does not match, or -1
     */
    int check(ByteBuffer bytes, int received) {
        ByteBuffer view = bytes.duplicate();
        for (; checked < pieceCrcs.length && end(checked) <= received; checked++) {
            int from = checked * PIECE;
            view.limit(end(checked)).position(from);
            piece.reset();
            piece.update(view);
            if ((int) piece.getValue() != pieceCrcs[checked]) {
                return checked;
            }
            if (whole != null) {
                whole.update(view.position(from));
            }
        }
        return -1;
    }

    /** Once every piece has been checked: whether the whole shard matches (true if not checked as a whole). */
    boolean wholeMatches() {
        return whole == null || (int) whole.getValue() == shardCrc;
    }

    private int end(int index) {
        return Math.min((index + 1) * PIECE, length);
    }
}
