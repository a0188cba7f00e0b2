package io.mooseng.cli;

import io.mooseng.core.config.HostPort;
import io.mooseng.core.model.StorageClass;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EmbeddedClusterOptionsTest {
    private static EmbeddedCluster.Options options(int folders, int chunkservers) {
        List<Path> dirs = IntStream.range(0, folders).mapToObj(i -> Path.of("/d" + i)).toList();
        return new EmbeddedCluster.Options(dirs, new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0), chunkservers,
                StorageClass.parse("EC_4_2"), "k", "s", null);
    }

    @Test
    void theChunkserversOfOneFolderShareItsScrubRate() {
        EmbeddedCluster.Options one = options(1, 6).withScrubRate(6L << 20);
        for (int n = 1; n <= 6; n++) {
            assertEquals(1L << 20, one.scrubRateOf(n), "six chunkservers on one disk scrub it at its rate together");
        }
        // 7 chunkservers over 2 folders: numbers 1, 3, 5, 7 on the first, 2, 4, 6 on the second
        EmbeddedCluster.Options two = options(2, 7).withScrubRate(12_000);
        assertEquals(3_000, two.scrubRateOf(1));
        assertEquals(3_000, two.scrubRateOf(7));
        assertEquals(4_000, two.scrubRateOf(2));
        assertEquals(4_000, two.scrubRateOf(6));
    }

    @Test
    void offStaysOffAndATinyRateStaysOn() {
        assertEquals(0, options(1, 6).withScrubRate(0).scrubRateOf(3));
        assertEquals(1, options(1, 6).withScrubRate(5).scrubRateOf(3));
        assertThrows(IllegalArgumentException.class, () -> options(1, 6).withScrubRate(-1));
    }
}
