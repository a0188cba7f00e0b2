package io.mooseng.core.file;

import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.object.BlockStarts;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Blocks of committed content rewritten in memory: writes into a file's existing bytes
 * patch copies of just the blocks they touch, which flush commits as new blocks in their
 * places, keeping every other block (databases, images, in-place edits of large files).
 */
final class BlockPatches {
    /** Reads {@code length} bytes of the committed content at {@code offset} into a buffer. */
    @FunctionalInterface
    interface BaseReader {
        void read(ByteBuffer into, long offset, int length);
    }

    private final BlockStarts starts;
    private final int maxBlocks;
    private final TreeMap<Integer, byte[]> patched = new TreeMap<>();

    /** @param maxBlocks how many blocks may be held in memory before the file is staged instead */
    BlockPatches(ObjectManifest base, int maxBlocks) {
        this.maxBlocks = maxBlocks;
        starts = new BlockStarts(base.blocks());
    }

    /** Whether the content is made of blocks this can patch: several, so keeping some pays. */
    static boolean suits(ObjectManifest base) {
        return !base.inline() && base.blocks().size() > 1;
    }

    /** Whether a write of {@code length} at {@code offset} stays inside the content and the memory bound. */
    boolean fits(long offset, int length) {
        if (offset < 0 || length <= 0 || offset + length > starts.end(starts.count() - 1)) {
            return false;
        }
        int first = blockAt(offset);
        int last = blockAt(offset + length - 1);
        int added = 0;
        for (int i = first; i <= last; i++) {
            added += patched.containsKey(i) ? 0 : 1;
        }
        return patched.size() + added <= maxBlocks;
    }

    void write(ByteBuffer data, long offset, BiFunction<Long, Integer, byte[]> load) {
        long at = offset;
        while (data.hasRemaining()) {
            int i = blockAt(at);
            byte[] block = patched.computeIfAbsent(i, b -> load.apply(starts.start(b), (int) (starts.end(b) - starts.start(b))));
            int in = (int) (at - starts.start(i));
            int n = Math.min(data.remaining(), block.length - in);
            data.get(block, in, n);
            at += n;
        }
    }

    /** Reads from the patched blocks where there are some, from the committed content elsewhere. */
    void read(ByteBuffer into, long offset, int length, BaseReader base) {
        long at = offset;
        long end = offset + length;
        while (at < end) {
            int i = blockAt(at);
            int n = (int) (Math.min(end, starts.end(i)) - at);
            byte[] block = patched.get(i);
            if (block != null) {
                into.put(block, (int) (at - starts.start(i)), n);
            } else {
                base.read(into, at, n);
            }
            at += n;
        }
    }

    /** Patched blocks by position, in order. */
    Map<Integer, byte[]> blocks() {
        return patched;
    }

    long start(int block) {
        return starts.start(block);
    }

    private int blockAt(long offset) {
        return starts.blockOf(offset);
    }
}
