package io.mooseng.core.object;

import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ObjectManifest;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a byte range of an object block by block, keeping up to {@code readAhead} block
 * reads in flight ahead of the consumer. Each block arrives as the buffers of its data
 * shards, handed out one by one without concatenation.
 *
 * <p>Memory: the reader holds a grant of the byte budget sized by {@link #workingSet} and
 * gives it back when the range is exhausted or the reader is closed, whichever comes first.
 */
final class StreamingObjectReader implements ObjectReader {
    private final BlockReader reader;
    private final List<BlockRef> blocks;
    private final int readAhead;
    private final Deque<CompletableFuture<List<ByteBuffer>>> pending = new ArrayDeque<>();
    private final Deque<ByteBuffer> ready = new ArrayDeque<>();
    private final long end;
    private final ByteBudget.Grant grant;
    private int nextBlock;
    private long nextBlockStart;
    private long position;
    private boolean closed;

    StreamingObjectReader(BlockReader reader, ObjectManifest manifest, long offset, long length, int readAhead,
                          ByteBudget.Grant grant) {
        this.reader = reader;
        this.grant = grant;
        this.blocks = manifest.blocks();
        this.readAhead = readAhead;
        this.position = offset;
        this.end = offset + length;
        // skip to the block holding the first byte
        while (nextBlock < blocks.size() && nextBlockStart + blocks.get(nextBlock).length() <= offset) {
            nextBlockStart += blocks.get(nextBlock).length();
            nextBlock++;
        }
    }

    /** Bytes a reader of {@code length} bytes holds at most: the blocks it reads ahead and the one handed out. */
    static long workingSet(ObjectServiceConfig config, long length) {
        return Math.min(length, (long) config.blockSize() * (config.readAheadBlocks() + 1));
    }

    @Override
    public synchronized CompletableFuture<ByteBuffer> read() {
        if (!ready.isEmpty()) {
            return CompletableFuture.completedFuture(ready.poll());
        }
        fillPipeline();
        CompletableFuture<List<ByteBuffer>> next = pending.poll();
        if (next == null || closed) {
            grant.close();
            return CompletableFuture.completedFuture(null);
        }
        return next.thenApply(buffers -> {
            synchronized (this) {
                ready.addAll(buffers);
                fillPipeline();
                ByteBuffer first = ready.poll();
                return first != null ? first : ByteBuffer.allocate(0);
            }
        });
    }

    private void fillPipeline() {
        while (!closed && pending.size() < readAhead && position < end && nextBlock < blocks.size()) {
            BlockRef block = blocks.get(nextBlock);
            long from = position - nextBlockStart;
            long to = Math.min(block.length(), end - nextBlockStart);
            pending.add(reader.read(block, from, (int) (to - from)));
            position = nextBlockStart + to;
            nextBlockStart += block.length();
            nextBlock++;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        grant.close();
        pending.clear();
        ready.clear();
    }
}
