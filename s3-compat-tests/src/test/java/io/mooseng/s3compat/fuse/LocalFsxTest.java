package io.mooseng.s3compat.fuse;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The fsx checker on a local kernel filesystem, which proves the checker itself. */
class LocalFsxTest extends FsxContract {
    @TempDir
    Path root;

    @Override
    protected FilesystemUnderTest fs() {
        return new LocalFilesystem(root);
    }
}
