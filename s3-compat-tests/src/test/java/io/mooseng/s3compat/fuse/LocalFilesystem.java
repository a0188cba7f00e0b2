package io.mooseng.s3compat.fuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A local directory as the filesystem under test: buckets are plain subdirectories of one device. */
record LocalFilesystem(Path root) implements FilesystemUnderTest {
    @Override
    public Path newBucket(String name) throws IOException {
        // @TempDir is private to its owner, but the permission test must reach buckets as another user
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Files.createDirectory(root.resolve(name));
    }

    @Override
    public boolean bucketsAreSeparateDevices() {
        return false;
    }

    @Override
    public boolean enforcesPermissions() {
        return true;
    }
}
