package io.mooseng.metadata.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbLibraryTest {
    @TempDir
    Path tmp;

    @Test
    void theLibraryIsUnpackedOnceAndATruncatedCopyIsReplaced() throws IOException {
        Path lib = RocksDbLibrary.unpacked(tmp);
        assertNotNull(lib, "rocksdbjni's jar has this platform's library");
        long size = Files.size(lib);
        FileTime written = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(lib, written);
        assertEquals(lib, RocksDbLibrary.unpacked(tmp));
        assertEquals(written, Files.getLastModifiedTime(lib), "a complete copy is reused, not written again");

        Files.write(lib, new byte[100]);
        assertEquals(lib, RocksDbLibrary.unpacked(tmp));
        assertEquals(size, Files.size(lib));
        try (var left = Files.list(lib.getParent())) {
            assertEquals(1, left.count(), "no partial file left behind");
        }
    }

    @Test
    void onlyAFolderNoOneElseMayWriteIsUsed() throws IOException {
        Path made = RocksDbLibrary.privateFolder(tmp.resolve("new"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
        assertEquals(made, RocksDbLibrary.privateFolder(made));

        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThrows(IOException.class, () -> RocksDbLibrary.privateFolder(shared));

        Path link = Files.createSymbolicLink(tmp.resolve("link"), made);
        assertThrows(IOException.class, () -> RocksDbLibrary.privateFolder(link));
    }
}
