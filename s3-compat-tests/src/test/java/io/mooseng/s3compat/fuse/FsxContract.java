package io.mooseng.s3compat.fuse;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** FsxStress on the filesystem under test; -Dfsx.seed=N replays a run. */
public abstract class FsxContract extends BucketPerTest {
    private static final int OPS = 20_000;
    /** Each operation re-reads the whole file (up to 10 MiB), so fewer of them. */
    private static final int LARGE_FILE_OPS = 600;

    @Test
    void randomOperationsAlwaysMatchTheModel() throws Exception {
        long seed = Long.getLong("fsx.seed", ThreadLocalRandom.current().nextLong());
        System.out.println("FsxContract: seed " + seed);
        FsxStress.Report report = new FsxStress(dir.resolve("fsx.bin"), seed, 256 * 1024)
                .run(OPS, Duration.ofMinutes(3));
        System.out.printf("FsxContract: %d of %d ops in %.1f s%n", report.ops(), OPS, report.elapsed().toMillis() / 1000.0);
    }

    /** A file of several 4 MiB blocks: writes into some of them, appends and truncates across them. */
    @Test
    void randomOperationsOnAFileOfSeveralBlocksAlwaysMatchTheModel() throws Exception {
        long seed = Long.getLong("fsx.seed", ThreadLocalRandom.current().nextLong());
        System.out.println("FsxContract (several blocks): seed " + seed);
        FsxStress.Report report = new FsxStress(dir.resolve("fsx-blocks.bin"), seed, 10 << 20)
                .run(LARGE_FILE_OPS, Duration.ofSeconds(90));
        System.out.printf("FsxContract (several blocks): %d of %d ops in %.1f s%n", report.ops(), LARGE_FILE_OPS,
                report.elapsed().toMillis() / 1000.0);
    }
}
