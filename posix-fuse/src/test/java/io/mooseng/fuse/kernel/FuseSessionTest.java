package io.mooseng.fuse.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The binding through real system calls on a mounted in-memory filesystem (needs root and /dev/fuse). */
class FuseSessionTest {
    private static Path dir;
    private static MemoryFilesystem fs;
    private static FuseSession session;

    @BeforeAll
    static void mount() throws IOException {
        assumeTrue(Files.exists(Path.of("/dev/fuse")) && "root".equals(System.getProperty("user.name")),
                "needs /dev/fuse and root");
        dir = Files.createTempDirectory("fuse-session-");
        fs = new MemoryFilesystem();
        session = FuseSession.mount(fs, dir, MountOptions.defaults("memory", "memorytest"));
    }

    @AfterAll
    static void unmount() throws IOException {
        if (session != null) {
            session.close();
            assertFalse(mounted(dir));
            Files.delete(dir);
        }
    }

    private static boolean mounted(Path p) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream().anyMatch(l -> l.contains(" " + p + " "));
    }

    @Test
    void theMountIsListedWithItsTypeAndName() throws IOException {
        String line = Files.readAllLines(Path.of("/proc/self/mounts")).stream().filter(l -> l.contains(" " + dir + " "))
                .findFirst().orElseThrow();
        assertTrue(line.startsWith("memory " + dir + " fuse.memorytest "), line);
    }

    @Test
    void largeWritesAndReadsRoundTrip() throws IOException {
        byte[] data = new byte[3 * (1 << 20) + 12345];
        new Random(1).nextBytes(data);
        Path f = dir.resolve("large");
        Files.write(f, data);
        assertEquals(data.length, Files.size(f));
        assertArrayEquals(data, Files.readAllBytes(f));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("patch".getBytes(StandardCharsets.US_ASCII)), 1 << 20);
        }
        System.arraycopy("patch".getBytes(StandardCharsets.US_ASCII), 0, data, 1 << 20, 5);
        assertArrayEquals(data, Files.readAllBytes(f));
    }

    @Test
    void aDirectoryOfManyEntriesListsInFull() throws IOException {
        Path d = Files.createDirectory(dir.resolve("many"));
        Set<String> names = IntStream.range(0, 700).mapToObj(i -> "entry-with-a-longish-name-" + i).collect(Collectors.toSet());
        for (String n : names) {
            Files.createFile(d.resolve(n));
        }
        try (Stream<Path> listed = Files.list(d)) {
            assertEquals(names, listed.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    @Test
    void namesChangeAndErrorsArriveAsTheirErrno() throws IOException {
        Path d = Files.createDirectory(dir.resolve("names"));
        Path a = Files.writeString(d.resolve("a"), "content");
        assertThrows(FileAlreadyExistsException.class, () -> Files.createFile(a));
        Files.move(a, d.resolve("b"));
        assertFalse(Files.exists(a));
        assertEquals("content", Files.readString(d.resolve("b")));
        assertThrows(DirectoryNotEmptyException.class, () -> Files.delete(d));
        Files.delete(d.resolve("b"));
        assertThrows(NoSuchFileException.class, () -> Files.delete(d.resolve("b")));
        Files.delete(d);
        assertFalse(Files.exists(d));
    }

    @Test
    void symlinksAndUserAttributes() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("some/target"));
        assertEquals(Path.of("some/target"), Files.readSymbolicLink(link));
        Path f = Files.createFile(dir.resolve("xattrs"));
        UserDefinedFileAttributeView view = Files.getFileAttributeView(f, UserDefinedFileAttributeView.class);
        view.write("colour", StandardCharsets.UTF_8.encode("blue"));
        assertEquals(List.of("colour"), view.list());
        ByteBuffer value = ByteBuffer.allocate(view.size("colour"));
        view.read("colour", value);
        assertEquals("blue", new String(value.array(), StandardCharsets.UTF_8));
    }

    @Test
    void concurrentCallersAreServedTogether() throws Exception {
        byte[] data = new byte[256 << 10];
        new Random(2).nextBytes(data);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            files.add(Files.write(dir.resolve("parallel-" + i), data));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<byte[]>> reads = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (Path f : files) {
                    reads.add(pool.submit(() -> Files.readAllBytes(f)));
                }
            }
            for (Future<byte[]> r : reads) {
                assertArrayEquals(data, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theKernelGivesBackEveryLookup() throws Exception {
        Path d = Files.createDirectory(dir.resolve("forgotten"));
        for (int i = 0; i < 50; i++) {
            Files.writeString(d.resolve("f" + i), "x");
        }
        try (Stream<Path> listed = Files.list(d)) {
            listed.forEach(p -> assertTrue(Files.isRegularFile(p)));
        }
        // dropping the kernel's dentries and inodes makes it FORGET every node it held
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "2");
            long held = fs.lookups.entrySet().stream().filter(e -> e.getKey() != FuseProtocol.ROOT_ID)
                    .mapToLong(java.util.Map.Entry::getValue).sum();
            if (held == 0) {
                break;
            }
            assertTrue(held > 0, "the kernel gave back more lookups than it had: " + held);
            assertTrue(System.currentTimeMillis() < deadline, held + " lookups still held after drop_caches");
            Thread.sleep(50);
        }
    }

    @Test
    void invalidationsMakeTheKernelAskAgain() throws Exception {
        Path f = Files.writeString(dir.resolve("cached"), "x");
        long node = (Long) Files.getAttribute(f, "unix:ino");
        Files.size(f);
        long asked = fs.getattrs.get();
        Files.size(f);
        assertEquals(asked, fs.getattrs.get(), "attributes are cached for their TTL");
        session.invalidateInode(node, false);
        Files.size(f);
        assertEquals(asked + 1, fs.getattrs.get(), "an invalidated inode's attributes are asked for again");

        long lookups = fs.lookupCalls.get();
        Files.size(f);
        assertEquals(lookups, fs.lookupCalls.get(), "names are cached for their TTL");
        session.invalidateEntry(FuseProtocol.ROOT_ID, "cached");
        Files.size(f);
        assertEquals(lookups + 1, fs.lookupCalls.get(), "an invalidated name is looked up again");
        // a node or name the kernel does not hold is no error
        session.invalidateInode(987_654_321L, true);
        session.invalidateEntry(FuseProtocol.ROOT_ID, "never-seen");
    }

    @Test
    void anUnprivilegedMountGoesThroughFusermount() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/fusermount3")), "fusermount3 (Debian's fuse3) is not installed");
        Path other = Files.createTempDirectory("fuse-session-fusermount-");
        FuseSession s = FuseSession.mount(new MemoryFilesystem(), other,
                MountOptions.defaults("memory", "memorytest").withFusermount(true));
        try {
            assertTrue(mounted(other));
            Files.writeString(other.resolve("f"), "through fusermount3");
            assertEquals("through fusermount3", Files.readString(other.resolve("f")));
        } finally {
            s.close();
        }
        assertFalse(mounted(other));
        Files.delete(other);
    }

    @Test
    void aKilledCallerEndsWhileItsRequestStillWaits() throws Exception {
        Path f = Files.writeString(dir.resolve("slow"), "eventually");
        session.invalidateInode((Long) Files.getAttribute(f, "unix:ino"), false);
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        fs.gate = gate;
        try {
            int before = fs.waiting.get();
            Process stat = new ProcessBuilder("stat", f.toString()).start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (fs.waiting.get() == before) {
                assertTrue(System.currentTimeMillis() < deadline, "stat never reached the filesystem");
                Thread.sleep(10);
            }
            // SIGTERM: the kernel sends FUSE_INTERRUPT for the waiting GETATTR, answered EINTR at once;
            // without it the process would wait, unkillable, for the answer
            stat.destroy();
            assertTrue(stat.waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "the killed caller still waits for its request");
        } finally {
            fs.gate = null;
            gate.countDown();
        }
        assertEquals("eventually", Files.readString(f));
    }

    @Test
    void aMountEndedFromOutsideStopsItsSession() throws Exception {
        Path other = Files.createTempDirectory("fuse-session-other-");
        FuseSession s = FuseSession.mount(new MemoryFilesystem(), other, MountOptions.defaults("memory", "memorytest"));
        try {
            Files.writeString(other.resolve("f"), "x");
            Process p = new ProcessBuilder("umount", other.toString()).inheritIO().start();
            assertEquals(0, p.waitFor());
            assertFalse(mounted(other));
        } finally {
            s.close();
            Files.delete(other);
        }
    }
}
