package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.store.SegmentShardStore;
import io.mooseng.chunkserver.store.ShardRange;
import io.mooseng.core.chunk.ReadsOnCaller;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.memory.LentBytes;
import io.mooseng.core.model.ShardId;
import io.vertx.core.WorkerExecutor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A running chunkserver's shard writes and reads for callers in its own process (the gateway
 * of {@code mooseng server}): the store calls its transport server makes, without the loopback
 * connection in between (per shard a sendfile or a socket copy each way, and wake-ups of both
 * event loops). The same checks: a write is stored once its CRC32C matches, and acknowledged
 * once durable; a read is verified piece by piece against the checksums stored with it, and a
 * mismatch fails it with SHARD_CORRUPT and has the shard re-read and quarantined if damaged on
 * disk, as a reader's CORRUPT report does. Reads land where {@link ReadMemory} puts them.
 */
public final class LocalShards {
    private final String nodeId;
    private final SegmentShardStore store;
    private final ShardCalls calls;
    private final WorkerExecutor io;
    private final int maxShardBytes;

    LocalShards(String nodeId, SegmentShardStore store, ShardCalls calls, WorkerExecutor io, int maxShardBytes) {
        this.nodeId = nodeId;
        this.store = store;
        this.calls = calls;
        this.io = io;
        this.maxShardBytes = maxShardBytes;
    }

    /** Stores a shard on the worker pool (writes at once share fsyncs); completes once it is durable. */
    CompletableFuture<Void> write(ShardId id, ByteBuffer data, int crc32c) {
        if (data.remaining() > maxShardBytes) {
            return CompletableFuture.failedFuture(new MooseException(ErrorCode.INVALID_ARGUMENT, "shard " + id + " of "
                    + data.remaining() + " bytes exceeds the largest this chunkserver stores (" + maxShardBytes + " bytes)"));
        }
        return calls.write(id, data, crc32c).toCompletionStage().toCompletableFuture();
    }

    /**
     * Reads {@code length} bytes at {@code offset} (a negative length: to the end, as on the
     * wire): on this thread if it reads on its own ({@link ReadsOnCaller}) or the page cache
     * holds the range, else on the worker pool.
     */
    CompletableFuture<LentBytes> read(ShardId id, long offset, int length, ByteBuffer into, boolean lend) {
        int wanted = length < 0 ? Integer.MAX_VALUE : length;
        ReadMemory memory = new ReadMemory(into, lend);
        try {
            ShardRange range = ReadsOnCaller.here() ? store.readRange(id, offset, wanted, memory::forBytes)
                    : store.readCachedRange(id, offset, wanted, memory::forBytes);
            if (range != null) {
                return CompletableFuture.completedFuture(verified(id, offset, wanted, range, memory));
            }
        } catch (IOException | RuntimeException e) {
            memory.release();
            return CompletableFuture.failedFuture(MooseException.of(e));
        }
        return io.executeBlocking(() -> verified(id, offset, wanted, store.readRange(id, offset, wanted, memory::forBytes), memory), false)
                .onFailure(e -> memory.release())
                .toCompletionStage().toCompletableFuture();
    }

    /** The range asked for, once its pieces match their checksums. */
    private LentBytes verified(ShardId id, long offset, int length, ShardRange range, ReadMemory memory) {
        if (range.length() == 0) {
            memory.release();
            return LentBytes.owned(ByteBuffer.allocate(0));
        }
        PieceVerifier verifier = new PieceVerifier(range.pieceCrcs(), range.length(),
                range.offset() == 0 && range.length() == range.shardLength(), range.shardCrc());
        int bad = verifier.check(range.bytes(), range.length());
        if (bad >= 0 || !verifier.wholeMatches()) {
            memory.release();
            String why = bad >= 0 ? "checksum mismatch in 64 KiB piece " + (range.offset() / ShardRange.PIECE_BYTES + bad)
                    : "whole-shard checksum mismatch";
            calls.checkReported(id, range.offset(), range.length(), why);
            throw new MooseException(ErrorCode.SHARD_CORRUPT, "shard " + id + " read from chunkserver " + nodeId
                    + " in this process is corrupt (" + why + ")");
        }
        long from = Math.min(offset, range.shardLength());
        long to = Math.min(offset + length, range.shardLength());
        return memory.hand(range.bytes().slice((int) (from - range.offset()), (int) (to - from)));
    }
}
