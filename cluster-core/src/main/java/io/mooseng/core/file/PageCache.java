package io.mooseng.core.file;

import io.mooseng.core.model.BlockId;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pages of committed blocks kept for random readers, shared by every file a {@link FileService} opens,
 * least recently used evicted past a byte bound. A page is {@link #PAGE_BYTES} of one block
 * (the chunkservers' checksum piece: a 4 KiB read fetches and verifies that much anyway), keyed by the
 * block's id and the page's place in it. Blocks are never rewritten (new content goes to new
 * blocks with new ids), so a page can never be stale: a file changed here or elsewhere
 * reads other blocks, and the pages of the old ones age out unread.
 * <p>
 * The pages live in slots of one native allocation made at construction, outside the heap:
 * a cache turning over thousands of 64 KiB pages a second would otherwise have the collector
 * copy each page into the old generation before it is evicted. Bytes are copied in and out
 * under the cache's lock, so a slot reused for another page is never read half-written.
 */
public final class PageCache {
    public static final int PAGE_BYTES = 64 * 1024;

    private record Page(BlockId block, int index) {
    }

    private final MemorySegment slots;
    /** Each kept page's slot, least recently used first. */
    private final Map<Page, Integer> pages = new LinkedHashMap<>(64, 0.75f, true);
    private final int[] lengths;
    private final int[] free;
    private int freeCount;
    private long bytes;

    /** @param capacityBytes the most the pages take together (rounded down to whole pages); less than one page keeps none */
    public PageCache(long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("page cache size must be >= 0: " + capacityBytes);
        }
        long count = capacityBytes / PAGE_BYTES;
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("page cache too large: " + capacityBytes);
        }
        // freed when the cache is unreachable: files and the mount that share it are gone by then
        slots = count == 0 ? MemorySegment.NULL : Arena.ofAuto().allocate(count * PAGE_BYTES, 64);
        lengths = new int[(int) count];
        free = new int[(int) count];
        for (int i = 0; i < count; i++) {
            free[i] = (int) count - 1 - i;
        }
        freeCount = (int) count;
    }

    public boolean enabled() {
        return lengths.length > 0;
    }

    /**
     * Copies {@code length} bytes from {@code from} in page {@code index} of the block into {@code into}
     * if the page is kept and holds them; @return whether it did
     */
    public synchronized boolean read(BlockId block, int index, int from, ByteBuffer into, int length) {
        Integer slot = pages.get(new Page(block, index));
        if (slot == null || from + length > lengths[slot]) {
            return false;
        }
        MemorySegment.copy(slots, (long) slot * PAGE_BYTES + from, MemorySegment.ofBuffer(into), 0, length);
        into.position(into.position() + length);
        return true;
    }

    /** Keeps a copy of the page's bytes ({@code data}'s remaining ones), evicting the least recently used page when full. */
    public synchronized void put(BlockId block, int index, ByteBuffer data) {
        int length = data.remaining();
        if (!enabled() || length > PAGE_BYTES) {
            throw new IllegalArgumentException("a page holds at most " + PAGE_BYTES + " bytes in an enabled cache");
        }
        Page page = new Page(block, index);
        Integer slot = pages.get(page);
        if (slot == null) {
            if (freeCount == 0) {
                var eldest = pages.entrySet().iterator();
                int evicted = eldest.next().getValue();
                eldest.remove();
                bytes -= lengths[evicted];
                free[freeCount++] = evicted;
            }
            slot = free[--freeCount];
            pages.put(page, slot);
        } else {
            bytes -= lengths[slot];
        }
        MemorySegment.copy(MemorySegment.ofBuffer(data), 0, slots, (long) slot * PAGE_BYTES, length);
        lengths[slot] = length;
        bytes += length;
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int pages() {
        return pages.size();
    }
}
