package io.mooseng.chunkserver.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Reads a segment's records in order at open, to rebuild the index.
 *
 * <p>Headers are read through a 1 MiB window, so a segment of small records costs a few
 * sequential reads and a segment of large ones costs one small read per record. Payloads
 * are read only when asked to verify them: for the segment that was being appended to when
 * the store last stopped without a clean close, where the tail may be torn.
 */
final class SegmentScanner {
    /** Receives each intact record and the file position of its header. */
    interface Visitor {
        void record(RecordHeader header, long position);
    }

    /**
     * @param intactEnd end of the last intact record: everything after it is torn or corrupt
     * @param fileSize  size of the file when scanned
     * @param skipped   records before {@code intactEnd} whose payload failed verification
     */
    record Result(long intactEnd, long fileSize, int skipped) {
    }

    private static final int WINDOW_BYTES = 1 << 20;

    private final Segment segment;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW_BYTES);
    private long windowStart;

    private SegmentScanner(Segment segment) {
        this.segment = segment;
        window.limit(0);
    }

    /**
     * Visits the records of {@code segment} up to the first one whose header is not intact
     * or which runs past the end of the file. With {@code verifyPayloads}, a record whose
     * payload does not match its checksums is skipped (not visited); if no intact record
     * follows it, it counts as torn tail instead.
     */
    static Result scan(Segment segment, boolean verifyPayloads, Visitor visitor) throws IOException {
        return new SegmentScanner(segment).run(verifyPayloads, visitor);
    }

    private Result run(boolean verifyPayloads, Visitor visitor) throws IOException {
        long fileSize = segment.channel().size();
        long pos = 0;
        long intactEnd = 0;
        int skipped = 0;
        int pendingSkips = 0;
        while (fileSize - pos >= RecordHeader.BYTES) {
            RecordHeader header = RecordHeader.decode(bytesAt(pos, RecordHeader.BYTES));
            if (header == null || pos + header.recordBytes() > fileSize) {
                break;
            }
            if (verifyPayloads && header.type() == RecordType.PUT && !payloadIntact(header, pos)) {
                pendingSkips++;
            } else {
                visitor.record(header, pos);
                intactEnd = pos + header.recordBytes();
                skipped += pendingSkips;
                pendingSkips = 0;
            }
            pos += header.recordBytes();
        }
        return new Result(intactEnd, fileSize, skipped);
    }

    /**
     * {@code length} bytes at {@code pos} (length at most the window), from the window;
     * refilled from {@code pos} when it does not hold them. Short at the end of the file.
     */
    private ByteBuffer bytesAt(long pos, int length) throws IOException {
        if (pos < windowStart || pos + length > windowStart + window.limit()) {
            window.clear();
            windowStart = pos;
            while (window.position() < length && segment.channel().read(window, windowStart + window.position()) >= 0) {
                // keep reading: a positional read may return fewer bytes than asked
            }
            window.flip();
        }
        int from = (int) (pos - windowStart);
        return window.duplicate().position(from).limit(Math.min(window.limit(), from + length));
    }

    private boolean payloadIntact(RecordHeader header, long pos) throws IOException {
        int pieces = PieceChecksums.pieceCount(header.length());
        long payloadPos = pos + header.payloadOffset();
        if (header.recordBytes() <= WINDOW_BYTES) {
            // one call, so that table and payload are views of the same window contents
            ByteBuffer record = bytesAt(pos, (int) header.recordBytes()).slice();
            ByteBuffer table = record.slice(RecordHeader.BYTES, 4 * pieces);
            ByteBuffer payload = record.slice((int) header.payloadOffset(), header.length());
            return matches(header, table, pieces, (from, len) -> payload.slice(from, len));
        }
        ByteBuffer table = ByteBuffer.allocate(4 * pieces);
        segment.readFully(table, pos + RecordHeader.BYTES);
        ByteBuffer piece = ByteBuffer.allocate(PieceChecksums.PIECE_BYTES);
        return matches(header, table.flip(), pieces, (from, len) -> {
            segment.readFully(piece.clear().limit(len), payloadPos + from);
            return piece.flip();
        });
    }

    /** Source of the payload bytes [from, from+length) of the record being verified. */
    private interface PieceSource {
        ByteBuffer piece(int from, int length) throws IOException;
    }

    private static boolean matches(RecordHeader header, ByteBuffer table, int pieces, PieceSource source)
            throws IOException {
        CRC32C whole = new CRC32C();
        for (int i = 0; i < pieces; i++) {
            int from = i * PieceChecksums.PIECE_BYTES;
            ByteBuffer piece = source.piece(from, Math.min(PieceChecksums.PIECE_BYTES, header.length() - from));
            if (PieceChecksums.crc32c(piece) != table.getInt()) {
                return false;
            }
            whole.update(piece);
        }
        return (int) whole.getValue() == header.payloadCrc();
    }
}
