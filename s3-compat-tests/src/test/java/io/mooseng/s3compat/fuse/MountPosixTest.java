package io.mooseng.s3compat.fuse;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The POSIX contract on a real FUSE mount of an in-process cluster. */
class MountPosixTest extends PosixContract {
    @RegisterExtension
    static final MountedCluster cluster = new MountedCluster();

    @Override
    protected FilesystemUnderTest fs() {
        return cluster;
    }
}
