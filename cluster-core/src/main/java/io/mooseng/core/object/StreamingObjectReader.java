package io.mooseng.core.object;

import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.memory.LentBytes;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ObjectManifest;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a byte range of an object block by block, keeping up to {@code readAhead} block
 * reads in flight ahead of the consumer ({@link ReadAhead}). Each block arrives as the buffers of its data
 * shards, handed out one by one without concatenation, as the transport lent them.
 *
 * <p>Memory: the reader holds a grant of the byte budget sized by {@link #workingSet} and
 * gives it back when the range is exhausted or the reader is closed, whichever comes first.
 * Closing releases every buffer read and not handed out, including those still arriving.
 */
final class StreamingObjectReader implements ObjectReader {
    private final ReadAhead<List<LentBytes>> blocks;
    private final int readAhead;
    private final Deque<LentBytes> ready = new ArrayDeque<>();
    /** The range's last block (-1 for an empty range), and the next one to hand out. */
    private final int lastBlock;
    private int nextBlock;
    private final ByteBudget.Grant grant;
    private boolean closed;

    StreamingObjectReader(BlockReader reader, ObjectManifest manifest, long offset, long length, int readAhead,
                          ByteBudget.Grant grant) {
        this.grant = grant;
        this.readAhead = readAhead;
        List<BlockRef> refs = manifest.blocks();
        BlockStarts starts = new BlockStarts(refs);
        long end = offset + length;
        this.nextBlock = length == 0 ? 0 : starts.blockOf(offset);
        this.lastBlock = length == 0 ? -1 : starts.blockOf(end - 1);
        // each block's part inside the range: the first and last may be partial
        this.blocks = new ReadAhead<>(i -> {
            long from = Math.max(offset, starts.start(i)) - starts.start(i);
            long to = Math.min(end, starts.end(i)) - starts.start(i);
            return reader.read(refs.get(i), from, (int) (to - from));
        }, lastBlock + 1, readAhead + 1, StreamingObjectReader::release);
    }

    /** Bytes a reader of {@code length} bytes holds at most: the blocks it reads ahead and the one handed out. */
    static long workingSet(ObjectServiceConfig config, long length) {
        return Math.min(length, (long) config.blockSize() * (config.readAheadBlocks() + 1));
    }

    @Override
    public synchronized CompletableFuture<LentBytes> read() {
        if (!ready.isEmpty()) {
            return CompletableFuture.completedFuture(ready.poll());
        }
        if (closed || nextBlock > lastBlock) {
            grant.close();
            return CompletableFuture.completedFuture(null);
        }
        // the blocks after this one stay requested while its buffers are handed out
        return blocks.take(nextBlock++, readAhead).thenApply(buffers -> {
            synchronized (this) {
                if (closed) {
                    release(buffers);
                    return null;
                }
                ready.addAll(buffers);
                LentBytes first = ready.poll();
                return first != null ? first : LentBytes.owned(ByteBuffer.allocate(0));
            }
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
        grant.close();
        blocks.clear();
        release(ready);
        ready.clear();
    }

    private static void release(Iterable<LentBytes> buffers) {
        buffers.forEach(LentBytes::release);
    }
}
