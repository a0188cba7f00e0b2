package io.mooseng.core.file;

import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.object.BlockStarts;
import io.mooseng.core.object.ObjectReader;
import io.mooseng.core.object.ObjectService;
import io.mooseng.core.object.ReadAhead;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import static io.mooseng.core.file.OpenFile.await;

/**
 * Whole blocks of one file version for sequential readers, with the next blocks fetched
 * ahead ({@link ReadAhead}, as an S3 GET reads). The kernel's read-ahead sends 128 KiB reads
 * from several threads, slightly out of order; serving them from whole blocks makes that
 * order irrelevant.
 */
final class BlockCache {
    private final ObjectService objects;
    private final ObjectInfo version;
    private final BlockStarts starts;
    private final int readAhead;
    private final ReadAhead<byte[]> blocks;

    BlockCache(ObjectService objects, ObjectInfo version, int readAhead) {
        this.objects = objects;
        this.version = version;
        this.readAhead = readAhead;
        this.starts = new BlockStarts(version.manifest().blocks());
        this.blocks = new ReadAhead<>(this::fetch, starts.count(), readAhead + 2);
    }

    /** Whether the blocks holding [offset, offset+length) are all here (or on their way). */
    boolean holds(long offset, int length) {
        for (int i = starts.blockOf(offset); i <= starts.blockOf(offset + length - 1); i++) {
            if (!blocks.holds(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies {@code want} bytes at {@code offset} (within the file) into {@code into}; with
     * {@code ahead} (a sequential reader) the next blocks are fetched too, else (a random read
     * that found its blocks here) nothing more is fetched.
     */
    int read(ByteBuffer into, long offset, int want, boolean ahead) {
        int n = 0;
        while (n < want) {
            int i = starts.blockOf(offset + n);
            byte[] data = await(blocks.get(i, ahead ? readAhead : 0));
            int in = (int) (offset + n - starts.start(i));
            int take = Math.min(want - n, data.length - in);
            into.put(data, in, take);
            n += take;
        }
        return n;
    }

    private CompletableFuture<byte[]> fetch(int i) {
        int length = (int) (starts.end(i) - starts.start(i));
        return objects.openRead(version, starts.start(i), length).thenCompose(r -> drain(r, new byte[length], 0));
    }

    private static CompletableFuture<byte[]> drain(ObjectReader r, byte[] into, int at) {
        return r.read().thenCompose(b -> {
            if (b == null) {
                r.close();
                return CompletableFuture.completedFuture(into);
            }
            int n = b.length();
            try {
                b.bytes().get(into, at, n);
            } finally {
                b.release();
            }
            return drain(r, into, at + n);
        });
    }
}
