package io.mooseng.s3compat.fuse;

import org.junit.jupiter.api.extension.RegisterExtension;

/** 20,000 random operations against a reference on a real FUSE mount of an in-process cluster. */
class MountFsxTest extends FsxContract {
    @RegisterExtension
    static final MountedCluster cluster = new MountedCluster();

    @Override
    protected FilesystemUnderTest fs() {
        return cluster;
    }
}
