package io.mooseng.s3compat.fuse;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Real programs on a local kernel filesystem, which proves the contract itself. */
class LocalRealProgramsTest extends RealProgramsContract {
    @TempDir
    Path root;

    @Override
    protected FilesystemUnderTest fs() {
        return new LocalFilesystem(root);
    }
}
