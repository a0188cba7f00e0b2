package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.repair.ShardRebuilder;
import io.mooseng.chunkserver.store.SegmentShardStore;
import io.mooseng.chunkserver.store.ShardRange;
import io.mooseng.chunkserver.transport.proto.CorruptShardReport;
import io.mooseng.chunkserver.transport.proto.DeleteShardReply;
import io.mooseng.chunkserver.transport.proto.DeleteShardRequest;
import io.mooseng.chunkserver.transport.proto.ListShardsReply;
import io.mooseng.chunkserver.transport.proto.ReadShardRequest;
import io.mooseng.chunkserver.transport.proto.RebuildShardRequest;
import io.mooseng.chunkserver.transport.proto.StatsReply;
import io.mooseng.core.chunk.RebuildRequest;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ShardId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * What the calls of the shard transport do on this chunkserver. Every store call but a short
 * read found in the page cache is blocking disk I/O and runs on the worker pool, unordered,
 * so concurrent writes reach the store together and share fsyncs; rebuilds are the {@link ShardRebuilder}'s. Futures
 * complete on the calling event loop. Failures are logged here (INTERNAL ones at WARN).
 */
final class ShardCalls {
    private static final Logger log = LoggerFactory.getLogger(ShardCalls.class);

    private final String nodeId;
    private final SegmentShardStore store;
    private final WorkerExecutor io;
    /**
     * Reads up to this many bytes (before widening to whole pieces) are copied through memory:
     * cheaper than a zero-copy send's own channel, residency probe and sendfile for a mount's
     * random 4 KiB reads; shards and large ranges still go file-to-socket.
     */
    static final int IN_MEMORY_READ_BYTES = 256 * 1024;

    private final ShardRebuilder rebuilder;

    ShardCalls(String nodeId, SegmentShardStore store, WorkerExecutor io, ShardRebuilder rebuilder) {
        this.nodeId = nodeId;
        this.store = store;
        this.io = io;
        this.rebuilder = rebuilder;
    }

    /** Stores a received shard once its CRC32C matches; completes once it is durable. */
    Future<Void> write(ShardId id, ByteBuffer data, int crc32c) {
        return blocking("write", id, () -> {
            store.put(id, data, crc32c);
            return null;
        });
    }

    /**
     * Locates the range to send (the caller closes it); one of at most {@value #IN_MEMORY_READ_BYTES} bytes
     * is read into {@code memory} instead, which the caller then owns: on this event loop when the page
     * cache holds it (no hand-off to a worker and back, which on a busy machine costs more than the read),
     * else on a worker.
     */
    Future<ShardRange> read(ReadShardRequest request, RangeBuffer memory) {
        ShardId id = ShardMessages.fromKey(request.getId());
        // uint32 on the wire: values above 2^31-1 arrive negative and mean "to the end"
        int length = request.getLength() < 0 ? Integer.MAX_VALUE : request.getLength();
        if (length <= IN_MEMORY_READ_BYTES) {
            try {
                ShardRange cached = store.readCachedRange(id, request.getOffset(), length, memory::forStore);
                if (cached != null) {
                    return Future.succeededFuture(cached);
                }
            } catch (RuntimeException e) {
                memory.release();
                return logged("read", id, Future.failedFuture(e));
            }
        }
        return blocking("read", id, () -> {
            if (length > IN_MEMORY_READ_BYTES) {
                return store.openRange(id, request.getOffset(), length);
            }
            try {
                return store.readRange(id, request.getOffset(), length, memory::forStore);
            } catch (IOException | RuntimeException e) {
                memory.release();
                throw e;
            }
        });
    }

    /**
     * The memory a READ holds here until its reply is written: its range widened to whole pieces
     * when read into memory ({@link #read}); 0 when sent from the file.
     */
    static long memoryFor(ReadShardRequest request) {
        long length = Integer.toUnsignedLong(request.getLength());
        if (length > IN_MEMORY_READ_BYTES || length == 0) {
            return 0;
        }
        long from = request.getOffset() / ShardRange.PIECE_BYTES;
        long to = (request.getOffset() + length + ShardRange.PIECE_BYTES - 1) / ShardRange.PIECE_BYTES;
        return (to - from) * ShardRange.PIECE_BYTES;
    }

    Future<DeleteShardReply> delete(DeleteShardRequest request) {
        ShardId id = ShardMessages.fromKey(request.getId());
        return blocking("delete", id, () -> DeleteShardReply.newBuilder().setExisted(store.delete(id)).build());
    }

    Future<StatsReply> stats() {
        return blocking("stats", null, () -> ShardMessages.toStats(nodeId, store.usage()));
    }

    Future<Void> rebuild(RebuildShardRequest request) {
        RebuildRequest rebuild;
        try {
            rebuild = ShardMessages.fromRebuild(request);
        } catch (RuntimeException e) {
            return logged("rebuild", null, Future.failedFuture(e));
        }
        return logged("rebuild", rebuild.shard(), Future.fromCompletionStage(rebuilder.rebuild(rebuild), Vertx.currentContext()));
    }

    /**
     * A reader found bytes we sent damaged. Re-reads them through {@link SegmentShardStore#get},
     * which quarantines the shard if they are damaged on disk; if they are not, they were
     * damaged on the way and the shard stays.
     */
    Future<Void> checkReported(CorruptShardReport report) {
        return checkReported(ShardMessages.fromKey(report.getId()), report.getOffset(), report.getLength(), report.getReason());
    }

    /** As {@link #checkReported(CorruptShardReport)}, for bytes [offset, offset+length) of {@code id}. */
    Future<Void> checkReported(ShardId id, long offset, int length, String reason) {
        return io.executeBlocking(() -> {
            try {
                store.get(id, offset, length);
                log.warn("shard reported corrupt but intact on disk (damaged in transit?): node={} shard={} reason={}",
                        nodeId, id, reason);
            } catch (MooseException e) {
                log.debug("shard reported corrupt: node={} shard={} found={}", nodeId, id, e.toString());
            }
            return null;
        }, false);
    }

    /**
     * The ids of every shard now stored, in shard id order (the leader merges them with its node
     * index in that order): 8 bytes a shard, so the inventory can be sent in batches.
     */
    Future<List<ShardId>> inventory() {
        return blocking("list", null, () -> {
            List<ShardId> ids = new ArrayList<>();
            store.forEach(ids::add);
            ids.sort(null);
            return ids;
        });
    }

    /** A batch of the inventory with its lengths; shards deleted since the snapshot are left out. */
    Future<ListShardsReply> batch(List<ShardId> ids) {
        return blocking("list", null, () -> {
            ListShardsReply.Builder batch = ListShardsReply.newBuilder();
            for (ShardId id : ids) {
                long length = store.size(id);
                if (length >= 0) {
                    batch.addShards(ShardMessages.toListed(id, length));
                }
            }
            return batch.build();
        });
    }

    private <T> Future<T> blocking(String op, ShardId id, Callable<T> work) {
        return logged(op, id, io.executeBlocking(work, false));
    }

    private <T> Future<T> logged(String op, ShardId id, Future<T> outcome) {
        return outcome.onFailure(failure -> {
            MooseException e = MooseException.of(failure);
            if (e.code() == ErrorCode.INTERNAL) {
                log.warn("{} {} on chunkserver {} failed", op, id, nodeId, failure);
            } else {
                log.debug("{} {} on chunkserver {}: {}", op, id, nodeId, e.toString());
            }
        });
    }
}
