package io.mooseng.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class MountCommandTest {
    private static final long GIB = 1L << 30;

    @Test
    void aPageCacheOfUpToHalfTheMemoryIsTaken() {
        assertNull(MountCommand.pageCacheError(0, 4 * GIB));
        assertNull(MountCommand.pageCacheError(64, 4 * GIB));
        assertNull(MountCommand.pageCacheError(2048, 4 * GIB));
    }

    @Test
    void aLargerOrNegativePageCacheIsRefusedSayingWhy() {
        assertEquals("--page-cache-mib 2049 is more than half of this machine's memory (4096 MiB): "
                + "the page cache is allocated and filled at start", MountCommand.pageCacheError(2049, 4 * GIB));
        assertEquals("--page-cache-mib must be between 0 and 8796093022207: -1", MountCommand.pageCacheError(-1, 4 * GIB));
    }
}
