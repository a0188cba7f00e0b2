package io.mooseng.core.object;

import io.mooseng.core.model.BlockRef;

import java.util.List;

/** Where each block of a file version starts in the file, and which block holds an offset. */
public final class BlockStarts {
    private final long[] starts;

    public BlockStarts(List<BlockRef> blocks) {
        this.starts = new long[blocks.size() + 1];
        for (int i = 0; i < blocks.size(); i++) {
            starts[i + 1] = starts[i] + blocks.get(i).length();
        }
    }

    public int count() {
        return starts.length - 1;
    }

    public long start(int block) {
        return starts[block];
    }

    public long end(int block) {
        return starts[block + 1];
    }

    /** The block holding {@code offset} (0 <= offset < the file's size). */
    public int blockOf(long offset) {
        int lo = 0;
        int hi = starts.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
