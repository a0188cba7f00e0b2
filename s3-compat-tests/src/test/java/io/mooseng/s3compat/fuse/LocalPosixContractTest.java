package io.mooseng.s3compat.fuse;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The POSIX contract on a local kernel filesystem, which proves the contract itself. */
class LocalPosixContractTest extends PosixContract {
    @TempDir
    Path root;

    @Override
    protected FilesystemUnderTest fs() {
        return new LocalFilesystem(root);
    }
}
