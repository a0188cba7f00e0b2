package io.mooseng.core.chunk.ec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A thread's native memory for ISA-L calls: room for the pointer arrays of every shard and,
 * for heap shards, one staging buffer of {@value CompiledMatrix#STAGING_CHUNK} bytes per
 * shard. Kept per thread so that coding allocates nothing in steady state (meant for the
 * coding pools' platform threads: each virtual thread would get its own); an automatic
 * arena frees it once its thread is gone.
 */
final class NativeScratch {
    private static final ThreadLocal<NativeScratch> PER_THREAD = new ThreadLocal<>();

    private final MemorySegment pointers;
    private final MemorySegment buffers;
    private final int bufferCount;

    private NativeScratch(int bufferCount) {
        Arena arena = Arena.ofAuto();
        this.pointers = arena.allocate(ValueLayout.ADDRESS, ReedSolomonCodec.MAX_TOTAL_SHARDS);
        this.buffers = arena.allocate((long) bufferCount * CompiledMatrix.STAGING_CHUNK, 64);
        this.bufferCount = bufferCount;
    }

    /** This thread's scratch, with at least {@code bufferCount} staging buffers. */
    static NativeScratch forThisThread(int bufferCount) {
        NativeScratch scratch = PER_THREAD.get();
        if (scratch == null || scratch.bufferCount < bufferCount) {
            scratch = new NativeScratch(bufferCount);
            PER_THREAD.set(scratch);
        }
        return scratch;
    }

    /** Pointer slots [from, from + count), to fill with {@code setAtIndex(ADDRESS, ...)}. */
    MemorySegment pointers(int from, int count) {
        return pointers.asSlice(from * ValueLayout.ADDRESS.byteSize(), count * ValueLayout.ADDRESS.byteSize());
    }

    /** The first {@code length} bytes of staging buffer {@code index}. */
    MemorySegment buffer(int index, int length) {
        return buffers.asSlice((long) index * CompiledMatrix.STAGING_CHUNK, length);
    }
}
