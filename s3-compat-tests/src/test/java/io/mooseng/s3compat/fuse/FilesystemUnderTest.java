package io.mooseng.s3compat.fuse;

import java.io.IOException;
import java.nio.file.Path;

/** The filesystem a contract runs on: a FUSE mount of MooseNG, or a local directory that proves the contract. */
public interface FilesystemUnderTest {
    /** A directory whose top-level subdirectories are buckets. */
    Path root();

    /** Creates a top-level directory and answers it; on the mount, mkdir at the root creates a bucket. */
    Path newBucket(String name) throws IOException;

    /** Whether rename and link between buckets fail with EXDEV, as on the mount. */
    boolean bucketsAreSeparateDevices();

    /** Whether mode bits keep other users out. */
    boolean enforcesPermissions();
}
