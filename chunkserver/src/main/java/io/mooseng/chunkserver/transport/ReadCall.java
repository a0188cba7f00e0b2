package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.store.ShardRange;
import io.mooseng.chunkserver.transport.proto.CorruptShardReport;
import io.mooseng.chunkserver.transport.proto.ReadShardReply;
import io.mooseng.chunkserver.transport.proto.ReadShardRequest;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.memory.LentBytes;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;

/**
 * READ: the reply announces the range sent (the one asked for, widened to whole 64 KiB
 * pieces) with a CRC32C per piece; the raw bytes that follow go into one buffer (the caller's
 * when it gave one they fit in, else pooled native memory lent to the caller, else a fresh
 * array), each piece checked as soon as it is complete, and the whole shard too when the range
 * is all of it. Damage fails the call with SHARD_CORRUPT and is reported to the chunkserver.
 * Lent memory goes back to the pool if the call fails, or if its result is no longer wanted.
 */
final class ReadCall extends ShardCall<LentBytes> {
    private static final Logger log = LoggerFactory.getLogger(ReadCall.class);
    private static final int PIECE = ShardRange.PIECE_BYTES;

    private final ShardId shard;
    private final long offset;
    private final long end;
    private final int maxShardBytes;
    private final ReadMemory memory;
    private ReadShardReply reply;
    private ByteBuffer bytes;
    private PieceVerifier verifier;
    private int received;

    /**
     * @param into where the bytes go if they fit (from its position), or null
     * @param lend without {@code into}: whether the bytes go into pooled memory lent to the caller, or a fresh array
     */
    ReadCall(ShardId shard, long offset, int length, ByteBuffer into, boolean lend, long timeoutMillis, int maxShardBytes) {
        super(FrameType.READ, ReadShardRequest.newBuilder().setId(ShardMessages.toKey(shard)).setOffset(offset)
                .setLength(length).build(), timeoutMillis);
        this.shard = shard;
        this.offset = offset;
        // uint32 on the wire: a negative length asks for everything from offset on
        this.end = offset + Integer.toUnsignedLong(length);
        this.maxShardBytes = maxShardBytes;
        this.memory = new ReadMemory(into, lend);
    }

    @Override
    boolean onReply(FrameHeader header, ByteBuf payload, CallPeer connection) {
        reply = Frames.parse(ReadShardReply.parser(), header, payload);
        check(reply);
        int length = reply.getLength();
        if (length == 0) {
            complete(LentBytes.owned(ByteBuffer.allocate(0)));
            return true;
        }
        bytes = memory.forBytes(length);
        int[] pieceCrcs = new int[reply.getPieceCrc32CCount()];
        for (int i = 0; i < pieceCrcs.length; i++) {
            pieceCrcs[i] = reply.getPieceCrc32C(i);
        }
        verifier = new PieceVerifier(pieceCrcs, length, reply.getOffset() == 0 && length == reply.getShardLength(),
                reply.getShardCrc32C());
        connection.expectBody(requestId(), length);
        return false;
    }

    @Override
    boolean onBody(ByteBuf in, CallPeer connection) {
        int n = in.readableBytes();
        in.readBytes(bytes.limit(received + n).position(received));
        received += n;
        int bad = verifier.check(bytes, received);
        if (bad >= 0) {
            fail(corrupt(connection, "checksum mismatch in 64 KiB piece " + (reply.getOffset() / PIECE + bad)));
            return true;
        }
        if (received < bytes.capacity()) {
            return false;
        }
        if (!verifier.wholeMatches()) {
            fail(corrupt(connection, "whole-shard checksum mismatch"));
            return true;
        }
        long from = Math.min(offset, reply.getShardLength());
        long to = Math.min(end, reply.getShardLength());
        complete(memory.hand(bytes.clear().slice((int) (from - reply.getOffset()), (int) (to - from))));
        return true;
    }

    @Override
    void complete(LentBytes value) {
        if (!result().complete(value)) {
            // failed meanwhile (a caller's deadline): nobody will release it
            value.release();
        }
    }

    @Override
    void fail(Throwable failure) {
        super.fail(failure);
        // late body bytes of a failed call are skipped, never written there
        memory.release();
    }

    /** Tells the chunkserver that bytes of its reply were damaged; @return the error for the reader */
    private MooseException corrupt(CallPeer connection, String why) {
        String message = "shard " + shard + " read from " + connection.describe() + " is corrupt (" + why + ")";
        connection.sendAside(Frames.control(FrameType.CORRUPT, 0, CorruptShardReport.newBuilder()
                .setId(ShardMessages.toKey(shard)).setOffset(reply.getOffset()).setLength(reply.getLength()).setReason(why).build()));
        log.warn("{}; reported to it", message);
        return new MooseException(ErrorCode.SHARD_CORRUPT, message);
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
