package io.mooseng.metadata.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.jar.JarEntry;

import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

/**
 * Loads RocksDB's JNI library from one unpacked copy per user and library version. RocksDB's
 * own loader unpacks the 17 MB library from its jar into a new temporary file at every start
 * and deletes it only at a clean exit: every process killed with -9 leaves one behind
 * (hundreds, gigabytes of /tmp, on a machine that runs crash tests), and unpacking costs
 * ~0.2 s of CPU per start. The copy lives in {@code java.io.tmpdir/mooseng-USER/rocksdbjni-CRC-SIZE},
 * a folder its owner alone may write (checked: a library another user could replace would run
 * in our processes); it is written under a temporary name and renamed, so processes starting
 * together never load a partial file. Anything unexpected falls back to RocksDB's loader.
 */
final class RocksDbLibrary {
    private RocksDbLibrary() {
    }

    static void load() {
        try {
            Path lib = unpacked(privateFolder(Path.of(System.getProperty("java.io.tmpdir"), "mooseng-" + System.getProperty("user.name"))));
            if (lib != null) {
                RocksDB.loadLibrary(List.of(lib.getParent().toString()));
                return;
            }
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            // RocksDB's own loader below
        }
        RocksDB.loadLibrary();
    }

    /**
     * The library unpacked in {@code parent/rocksdbjni-CRC-SIZE} (the jar entry's checksum and
     * size name the build), unpacked there unless present with that size; null if the library
     * is not a jar entry.
     */
    static Path unpacked(Path parent) throws IOException {
        URL resource = RocksDB.class.getClassLoader().getResource(Environment.getJniLibraryFileName("rocksdb"));
        if (resource == null || !(resource.openConnection() instanceof JarURLConnection jar)) {
            return null;
        }
        JarEntry entry = jar.getJarEntry();
        Path dir = parent.resolve("rocksdbjni-" + Long.toHexString(entry.getCrc()) + "-" + entry.getSize());
        Files.createDirectories(dir);
        // the name RocksDB.loadLibrary(paths) looks for in each folder
        Path lib = dir.resolve(Environment.getJniLibraryFileName("rocksdbjni"));
        if (Files.isRegularFile(lib, LinkOption.NOFOLLOW_LINKS) && Files.size(lib) == entry.getSize()) {
            return lib;
        }
        Path part = Files.createTempFile(dir, "unpacking", ".part");
        try (InputStream in = jar.getInputStream()) {
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
        return lib;
    }

    /** {@code dir}, created with mode 0700 if absent; refused unless it is a folder of ours that no one else may write. */
    static Path privateFolder(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // checked below
        }
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        boolean othersWrite = a.permissions().contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                || a.permissions().contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
        if (!a.isDirectory() || othersWrite || !a.owner().getName().equals(System.getProperty("user.name"))) {
            throw new IOException(dir + " is not a folder of " + System.getProperty("user.name") + " that only its owner may write");
        }
        return dir;
    }
}
