package io.mooseng.s3compat.fuse;

import org.junit.jupiter.api.extension.RegisterExtension;

/** cp -a, rsync, git and tar + cc on a real FUSE mount of an in-process cluster. */
class MountRealProgramsTest extends RealProgramsContract {
    @RegisterExtension
    static final MountedCluster cluster = new MountedCluster();

    @Override
    protected FilesystemUnderTest fs() {
        return cluster;
    }
}
