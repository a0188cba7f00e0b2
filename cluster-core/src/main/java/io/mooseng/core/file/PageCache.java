package io.mooseng.core.file;

import io.mooseng.core.model.BlockId;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pages of committed blocks kept for random readers, shared by every file a {@link FileService} opens,
 * least recently used evicted past a byte bound. A page is {@link #PAGE_BYTES} of one block
 * (the chunkservers' checksum piece: a 4 KiB read fetches and verifies that much anyway), keyed by the
 * block's id and the page's place in it. Blocks are never rewritten (new content goes to new
 * blocks with new ids), so a page can never be stale: a file changed here or elsewhere
 * reads other blocks, and the pages of the old ones age out unread.
 */
public final class PageCache {
    public static final int PAGE_BYTES = 64 * 1024;

    private record Page(BlockId block, int index) {
    }

    private final long capacityBytes;
    private final Map<Page, byte[]> pages = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    /** @param capacityBytes the most the pages take together; 0 keeps none */
    public PageCache(long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("page cache size must be >= 0: " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    public boolean enabled() {
        return capacityBytes >= PAGE_BYTES;
    }

    /** Page {@code index} of the block (its bytes [index * PAGE_BYTES, ...)), or null if not kept. */
    public synchronized byte[] get(BlockId block, int index) {
        return pages.get(new Page(block, index));
    }

    /** Keeps a page, evicting the least recently used ones past the bound. */
    public synchronized void put(BlockId block, int index, byte[] data) {
        if (!enabled() || data.length > PAGE_BYTES) {
            throw new IllegalArgumentException("a page holds at most " + PAGE_BYTES + " bytes in an enabled cache");
        }
        byte[] old = pages.put(new Page(block, index), data);
        bytes += data.length - (old == null ? 0 : old.length);
        var eldest = pages.entrySet().iterator();
        while (bytes > capacityBytes) {
            bytes -= eldest.next().getValue().length;
            eldest.remove();
        }
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int pages() {
        return pages.size();
    }
}
