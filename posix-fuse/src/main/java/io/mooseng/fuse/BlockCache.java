package io.mooseng.fuse;

import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.object.ObjectReader;
import io.mooseng.core.object.ObjectService;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.mooseng.fuse.MountTree.await;

/**
 * Whole blocks of one file version for sequential readers, with the next blocks fetched
 * ahead. The kernel's read-ahead sends 128 KiB reads from several threads, slightly out of
 * order; serving them from whole blocks makes that order irrelevant.
 */
final class BlockCache {
    private final ObjectService objects;
    private final ObjectInfo version;
    private final long[] starts;
    private final int readAhead;
    private final Map<Integer, CompletableFuture<byte[]>> blocks;

    BlockCache(ObjectService objects, ObjectInfo version, int readAhead) {
        this.objects = objects;
        this.version = version;
        this.readAhead = readAhead;
        List<BlockRef> refs = version.manifest().blocks();
        this.starts = new long[refs.size() + 1];
        for (int i = 0; i < refs.size(); i++) {
            starts[i + 1] = starts[i] + refs.get(i).length();
        }
        int capacity = readAhead + 2;
        this.blocks = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, CompletableFuture<byte[]>> eldest) {
                return size() > capacity;
            }
        };
    }

    boolean holds(long offset) {
        return blocks.containsKey(blockOf(offset));
    }

    /** Copies {@code want} bytes at {@code offset} (within the file) into {@code into}. */
    int read(ByteBuffer into, long offset, int want) {
        int n = 0;
        while (n < want) {
            int i = blockOf(offset + n);
            byte[] data = await(block(i));
            for (int next = i + 1; next <= i + readAhead && next < starts.length - 1; next++) {
                block(next);
            }
            int in = (int) (offset + n - starts[i]);
            int take = Math.min(want - n, data.length - in);
            into.put(data, in, take);
            n += take;
        }
        return n;
    }

    private CompletableFuture<byte[]> block(int i) {
        return blocks.computeIfAbsent(i, this::fetch);
    }

    private CompletableFuture<byte[]> fetch(int i) {
        int length = (int) (starts[i + 1] - starts[i]);
        return objects.openRead(version, starts[i], length).thenCompose(r -> drain(r, new byte[length], 0));
    }

    private static CompletableFuture<byte[]> drain(ObjectReader r, byte[] into, int at) {
        return r.read().thenCompose(b -> {
            if (b == null) {
                r.close();
                return CompletableFuture.completedFuture(into);
            }
            int n = b.remaining();
            b.get(into, at, n);
            return drain(r, into, at + n);
        });
    }

    private int blockOf(long offset) {
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
