package io.mooseng.core.object;

import io.mooseng.core.chunk.ShardLayout;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ETags;
import io.mooseng.core.model.ObjectChecksum;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.StorageClass;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Cuts a byte stream into blocks and hands each to the {@link BlockWriter} as soon as it is
 * full, with at most {@code writeAheadBlocks} in flight. Content is copied straight into the
 * block's data-shard arrays, so erasure coding needs no further copy of full blocks. The MD5
 * (the ETag) is computed block by block, in order, on the coding pool, off the caller's
 * thread. Objects that end small enough are inlined into metadata instead.
 *
 * <p>Memory: the writer holds a grant of the process's byte budget for its whole life, sized
 * by {@link #workingSet} (its current block and the blocks in flight, data and parity, or less
 * for an object known to be small), and gives it back once completed or aborted.
 */
final class StreamingObjectWriter<T> implements ObjectWriter<T> {
    private final BlockWriter blocks;
    private final ShardReclaimer reclaimer;
    private final Executor codingPool;
    private final ObjectServiceConfig config;
    private final StorageClass storageClass;
    private final ObjectProperties properties;
    private final boolean mayInline;
    private final WriteContext context;
    private final Function<ObjectManifest, CompletableFuture<T>> committer;
    private final boolean classPinned;
    private final ByteBudget.Grant grant;
    private final int shardCapacity;
    private final int blockCapacity;

    private static final int FIRST_SHARD_BYTES = 16 << 10;

    private final MessageDigest md5 = ETags.newMd5();
    private CompletableFuture<Void> md5Done = CompletableFuture.completedFuture(null);
    private final List<CompletableFuture<BlockRef>> written = new ArrayList<>();
    private byte[][] current;
    private int fill;
    private long total;
    private boolean closed;

    /** @param grant the writer's share of the byte budget (see {@link #workingSet}), released when done */
    StreamingObjectWriter(WriteContext context, StorageClass storageClass, boolean classPinned, ObjectProperties properties,
                          boolean mayInline, Function<ObjectManifest, CompletableFuture<T>> committer, ByteBudget.Grant grant) {
        this.context = context;
        this.blocks = context.blocks();
        this.reclaimer = context.reclaimer();
        this.codingPool = context.codingPool();
        this.config = context.config();
        this.storageClass = storageClass;
        this.classPinned = classPinned;
        this.properties = properties;
        this.mayInline = mayInline;
        this.committer = committer;
        this.grant = grant;
        this.shardCapacity = ShardLayout.shardSize(storageClass, config.blockSize());
        this.blockCapacity = storageClass.kind() == StorageClass.Kind.REPLICATED ? shardCapacity
                : shardCapacity * storageClass.dataShards();
    }

    /**
     * Bytes a writer of class {@code sc} holds at most: its current block plus the blocks in
     * flight, each with its parity; for content known to be smaller, about that content.
     *
     * @param expectedBytes the content's length, or -1 if unknown
     */
    static long workingSet(ObjectServiceConfig config, StorageClass sc, long expectedBytes) {
        boolean replicated = sc.kind() == StorageClass.Kind.REPLICATED;
        int k = replicated ? 1 : sc.dataShards();
        int n = replicated ? 1 : sc.shardCount();
        long block = (long) ShardLayout.shardSize(sc, config.blockSize()) * n;
        long most = block * (config.writeAheadBlocks() + 1);
        if (expectedBytes < 0) {
            return most;
        }
        return Math.min(most, Math.max(expectedBytes, FIRST_SHARD_BYTES) / k * n + FIRST_SHARD_BYTES);
    }

    @Override
    public CompletableFuture<Void> write(ByteBuffer data) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("writer already completed or aborted"));
        }
        while (data.hasRemaining()) {
            if (current == null) {
                current = new byte[blockCapacity / shardCapacity][];
                fill = 0;
            }
            int shard = fill / shardCapacity;
            int at = fill % shardCapacity;
            int n = Math.min(data.remaining(), shardCapacity - at);
            data.get(shardFor(shard, at + n), at, n);
            fill += n;
            total += n;
            if (fill == blockCapacity) {
                flush(storageClass, current, fill);
                current = null;
            }
        }
        return backpressure();
    }

    /**
     * The data-shard array to fill up to {@code needed} bytes. Most objects are small: the
     * first shard of the first block starts small and doubles, instead of every PUT
     * allocating (and zeroing) a whole block of shards; later ones are allocated whole.
     */
    private byte[] shardFor(int shard, int needed) {
        byte[] a = current[shard];
        if (a == null || a.length < needed) {
            boolean grows = shard == 0 && written.isEmpty();
            int size = grows ? Math.min(shardCapacity, Math.max(needed, a == null ? FIRST_SHARD_BYTES : 2 * a.length))
                    : shardCapacity;
            current[shard] = a = a == null ? new byte[size] : Arrays.copyOf(a, size);
        }
        return a;
    }

    /** Completes once fewer than writeAheadBlocks blocks are in flight; fails if any block failed. */
    private CompletableFuture<Void> backpressure() {
        int inFlight = 0;
        CompletableFuture<BlockRef> oldest = null;
        for (CompletableFuture<BlockRef> f : written) {
            if (f.isCompletedExceptionally()) {
                return f.thenRun(() -> { });
            }
            if (!f.isDone()) {
                inFlight++;
                oldest = oldest == null ? f : oldest;
            }
        }
        return inFlight < config.writeAheadBlocks() ? CompletableFuture.completedFuture(null) : oldest.thenRun(() -> { });
    }

    private void flush(StorageClass sc, byte[][] data, int length) {
        md5Done = md5Done.thenRunAsync(() -> digest(data, length), codingPool);
        written.add(blocks.write(BlockId.random(), sc, data, length));
    }

    /** A lone small erasure-coded block: m+1 copies lose no more than k+m shards and cost fewer writes. */
    private boolean replicates(long size) {
        return size > 0 && size <= config.replicateMaxBytes() && storageClass.kind() == StorageClass.Kind.ERASURE;
    }

    /** The content of the current, lone block in one array. */
    private byte[] copyOfContent() {
        byte[] out = new byte[fill];
        for (int pos = 0; pos < fill; ) {
            int n = Math.min(shardCapacity, fill - pos);
            System.arraycopy(current[pos / shardCapacity], 0, out, pos, n);
            pos += n;
        }
        return out;
    }

    private void digest(byte[][] data, int length) {
        int left = length;
        for (byte[] shard : data) {
            int n = Math.min(left, shard.length);
            md5.update(shard, 0, n);
            left -= n;
            if (left == 0) {
                break;
            }
        }
    }

    @Override
    public CompletableFuture<T> complete(byte[] expectedMd5, ObjectChecksum checksum) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("writer already completed or aborted"));
        }
        closed = true;
        byte[] inline = null;
        if (written.isEmpty() && mayInline && total <= config.inlineMaxBytes()) {
            inline = current == null ? new byte[0] : Arrays.copyOf(current[0], (int) total);
            md5.update(inline);
        } else if (written.isEmpty() && replicates(total)) {
            flush(StorageClass.replicated(storageClass.parityShards() + 1), new byte[][] {copyOfContent()}, fill);
        } else if (current != null && fill > 0) {
            flush(storageClass, relayout(current, fill), fill);
        }
        current = null;
        byte[] content = inline;
        CompletableFuture<?>[] all = written.toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all).thenCombine(md5Done, (a, b) -> md5.digest())
                .thenCompose(digest -> {
                    if (expectedMd5 != null && !MessageDigest.isEqual(digest, expectedMd5)) {
                        throw new MooseException(ErrorCode.BAD_DIGEST, "Content-MD5 does not match the content received");
                    }
                    List<BlockRef> refs = written.stream().map(CompletableFuture::join).toList();
                    ObjectManifest manifest = new ObjectManifest(total, HexFormat.of().formatHex(digest), context.clock().getAsLong(),
                            properties, storageClass, refs, content, classPinned);
                    return committer.apply(manifest.withChecksum(checksum));
                })
                .whenComplete((r, e) -> {
                    grant.close();
                    if (e != null) {
                        reclaimSucceeded();
                    }
                });
    }

    /** A last, partial block gets shards sized to its content, not to a full block. */
    private byte[][] relayout(byte[][] data, int length) {
        int size = ShardLayout.shardSize(storageClass, length);
        if (size == shardCapacity) {
            for (int i = 0; i < data.length; i++) { // coding needs whole shards; the last may be short
                data[i] = data[i] == null ? new byte[size] : Arrays.copyOf(data[i], size);
            }
            return data;
        }
        int k = storageClass.kind() == StorageClass.Kind.REPLICATED ? 1 : storageClass.dataShards();
        byte[][] out = new byte[k][size];
        for (int pos = 0; pos < length; ) {
            int n = Math.min(size - pos % size, Math.min(length - pos, shardCapacity - pos % shardCapacity));
            System.arraycopy(data[pos / shardCapacity], pos % shardCapacity, out[pos / size], pos % size, n);
            pos += n;
        }
        return out;
    }

    @Override
    public CompletableFuture<Void> abort() {
        closed = true;
        current = null;
        return CompletableFuture.allOf(written.stream().map(f -> f.handle((r, e) -> null)).toArray(CompletableFuture[]::new))
                .thenRun(() -> {
                    grant.close();
                    reclaimSucceeded();
                });
    }

    private void reclaimSucceeded() {
        for (CompletableFuture<BlockRef> f : written) {
            f.thenAccept(ref -> reclaimer.reclaim(List.of(ref)));
        }
    }

    @Override
    public long bytesWritten() {
        return total;
    }
}
