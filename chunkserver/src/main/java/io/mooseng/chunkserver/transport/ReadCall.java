package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.store.ShardRange;
import io.mooseng.chunkserver.transport.proto.ReadShardReply;
import io.mooseng.chunkserver.transport.proto.ReadShardRequest;
import io.mooseng.core.model.ShardId;
import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * READ: the reply announces the range sent (the one asked for, widened to whole 64 KiB
 * pieces) with a CRC32C per piece; the raw bytes that follow go into one array, each piece
 * checked as soon as it is complete, and the whole shard too when the range is all of it.
 * Damage fails the call with SHARD_CORRUPT and is reported to the chunkserver.
 */
final class ReadCall extends ShardCall<ByteBuffer> {
    private static final int PIECE = ShardRange.PIECE_BYTES;

    private final ShardId shard;
    private final long offset;
    private final long end;
    private final int maxShardBytes;
    private final CRC32C piece = new CRC32C();
    private ReadShardReply reply;
    private byte[] bytes;
    private int received;
    private int checked;
    /** Over the whole shard when that is what is sent; else null. */
    private CRC32C whole;

    ReadCall(ShardId shard, long offset, int length, long timeoutMillis, int maxShardBytes) {
        super(FrameType.READ, ReadShardRequest.newBuilder().setId(ShardMessages.toKey(shard)).setOffset(offset)
                .setLength(length).build(), timeoutMillis);
        this.shard = shard;
        this.offset = offset;
        // uint32 on the wire: a negative length asks for everything from offset on
        this.end = offset + Integer.toUnsignedLong(length);
        this.maxShardBytes = maxShardBytes;
    }

    @Override
    boolean onReply(FrameHeader header, ByteBuf payload, ClientConnection connection) {
        reply = Frames.parse(ReadShardReply.parser(), header, payload);
        check(reply);
        bytes = new byte[reply.getLength()];
        whole = reply.getOffset() == 0 && reply.getLength() == reply.getShardLength() ? new CRC32C() : null;
        if (bytes.length == 0) {
            complete(ByteBuffer.allocate(0));
            return true;
        }
        connection.expectBody(requestId(), bytes.length);
        return false;
    }

    @Override
    boolean onBody(ByteBuf in, ClientConnection connection) {
        int n = in.readableBytes();
        in.readBytes(bytes, received, n);
        received += n;
        for (; checked < reply.getPieceCrc32CCount() && pieceEnd(checked) <= received; checked++) {
            int from = checked * PIECE;
            int to = pieceEnd(checked);
            piece.reset();
            piece.update(bytes, from, to - from);
            if ((int) piece.getValue() != reply.getPieceCrc32C(checked)) {
                fail(connection.reportCorrupt(shard, reply, "checksum mismatch in 64 KiB piece "
                        + (reply.getOffset() / PIECE + checked)));
                return true;
            }
            if (whole != null) {
                whole.update(bytes, from, to - from);
            }
        }
        if (received < bytes.length) {
            return false;
        }
        if (whole != null && (int) whole.getValue() != reply.getShardCrc32C()) {
            fail(connection.reportCorrupt(shard, reply, "whole-shard checksum mismatch"));
            return true;
        }
        long from = Math.min(offset, reply.getShardLength());
        long to = Math.min(end, reply.getShardLength());
        complete(ByteBuffer.wrap(bytes, (int) (from - reply.getOffset()), (int) (to - from)).slice());
        return true;
    }

    private int pieceEnd(int index) {
        return Math.min((index + 1) * PIECE, bytes.length);
    }

    /** The reply must announce whole pieces of the shard, with their checksums, covering what was asked. */
    private void check(ReadShardReply r) {
        long length = Integer.toUnsignedLong(r.getLength());
        long shardLength = Integer.toUnsignedLong(r.getShardLength());
        long from = Math.min(offset, shardLength);
        long to = Math.min(end, shardLength);
        boolean covers = from >= to ? length == 0 : r.getOffset() <= from && to <= r.getOffset() + length;
        if (length > maxShardBytes || (length > 0 && r.getOffset() % PIECE != 0) || r.getOffset() + length > shardLength || !covers
                || r.getPieceCrc32CCount() != (length + PIECE - 1) / PIECE) {
            throw new ProtocolViolation("READ reply for " + shard + " [" + offset + ", " + end + ") announcing "
                    + length + " bytes at " + r.getOffset() + " of " + shardLength + " with "
                    + r.getPieceCrc32CCount() + " piece checksums");
        }
    }
}
