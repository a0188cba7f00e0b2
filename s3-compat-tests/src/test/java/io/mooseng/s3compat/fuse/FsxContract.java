package io.mooseng.s3compat.fuse;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** FsxStress on the filesystem under test; -Dfsx.seed=N replays a run. */
public abstract class FsxContract extends BucketPerTest {
    private static final int OPS = 20_000;

    @Test
    void randomOperationsAlwaysMatchTheModel() throws Exception {
        long seed = Long.getLong("fsx.seed", ThreadLocalRandom.current().nextLong());
        System.out.println("FsxContract: seed " + seed);
        FsxStress.Report report = new FsxStress(dir.resolve("fsx.bin"), seed, 256 * 1024)
                .run(OPS, Duration.ofMinutes(3));
        System.out.printf("FsxContract: %d of %d ops in %.1f s%n", report.ops(), OPS, report.elapsed().toMillis() / 1000.0);
    }
}
