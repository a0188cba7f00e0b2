package io.mooseng.s3compat.fuse;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * POSIX semantics of the filesystem under test, through real system calls: Java NIO where Java makes the call as
 * asked, python or util-linux children where it cannot (unlink of a directory, truncate up, range locks) or where
 * it would hide the errno. Errors are asserted by exact errno, as Linux gives them on a local filesystem.
 */
@Timeout(30)
public abstract class PosixContract extends BucketPerTest {
    private static final int MIB = 1024 * 1024;
    /** Allowed difference between this clock and the filesystem's timestamps. */
    private static final long CLOCK_SLACK_SECONDS = 5;
    private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));
    /** flock(1)'s exit code when -n finds the lock taken. */
    private static final int LOCK_TAKEN = 75;

    // --- buckets

    @Test
    void bucketsAreTheRootsDirectories() throws Exception {
        Path other = anotherBucket();
        assertEquals(fs().root(), dir.getParent());
        assertEquals(fs().root(), other.getParent());
        List<String> atRoot = names(fs().root());
        assertTrue(atRoot.contains(dir.getFileName().toString()) && atRoot.contains(other.getFileName().toString()),
                "the root lists " + atRoot);
        assertTrue(Files.isDirectory(other, NOFOLLOW_LINKS));
        long directories = atRoot.stream().filter(name -> Files.isDirectory(fs().root().resolve(name), NOFOLLOW_LINKS)).count();
        assertEquals(2 + directories, nlink(fs().root()), "each bucket links the root as its \"..\"");
    }

    // --- getattr and lookup

    @Test
    void getattrReportsTypeSizeAndMtime() throws Exception {
        Instant before = Instant.now().minusSeconds(CLOCK_SLACK_SECONDS);
        Path file = Files.write(dir.resolve("file"), new byte[1234]);
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Instant after = Instant.now().plusSeconds(CLOCK_SLACK_SECONDS);

        BasicFileAttributes f = Files.readAttributes(file, BasicFileAttributes.class);
        assertTrue(f.isRegularFile());
        assertEquals(1234, f.size());
        assertWithin(before, after, f.lastModifiedTime());
        BasicFileAttributes d = Files.readAttributes(sub, BasicFileAttributes.class);
        assertTrue(d.isDirectory());
        assertWithin(before, after, d.lastModifiedTime());
    }

    @Test
    void mtimeMovesOnWriteAndOnANewEntry() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "one");
        Files.setLastModifiedTime(file, LONG_AGO);
        Files.writeString(file, "two", APPEND);
        assertTrue(Files.getLastModifiedTime(file).compareTo(LONG_AGO) > 0, "a write sets the file's mtime");

        Path sub = Files.createDirectory(dir.resolve("sub"));
        Files.setLastModifiedTime(sub, LONG_AGO);
        Files.createFile(sub.resolve("child"));
        assertTrue(Files.getLastModifiedTime(sub).compareTo(LONG_AGO) > 0, "a new entry sets its directory's mtime");
    }

    @Test
    void lookupOfAMissingPathIsEnoent() throws Exception {
        Path missing = dir.resolve("missing");
        assertEquals("ENOENT", Errno.of(() -> Files.readAttributes(missing, BasicFileAttributes.class)));
        assertEquals("ENOENT", Errno.of(() -> Files.newByteChannel(missing).close()));
        assertEquals("ENOENT", Errno.ofPython("os.stat(p[0])", missing.resolve("deeper")));
    }

    @Test
    void aPathThroughAFileIsEnotdir() throws Exception {
        Path file = Files.createFile(dir.resolve("file"));
        // through python: Java 25 reports stat's ENOTDIR as a NoSuchFileException
        assertEquals("ENOTDIR", Errno.ofPython("os.stat(p[0])", file.resolve("child")));
        assertEquals("ENOTDIR", Errno.of(() -> Files.createFile(file.resolve("child"))));
    }

    // --- readdir

    @Test
    void readdirListsEveryNameOfASmallDirectory() throws Exception {
        // characters that an S3 key mapping must escape or keep
        List<String> files = List.of(".hidden", "-dash", "back\\slash", "hash#tag", "percent%41", "plain", "plus+sign",
                "question?mark", "with space");
        for (String name : files) {
            Files.createFile(dir.resolve(name));
        }
        Files.createDirectory(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("plain"));

        List<String> expected = Stream.concat(files.stream(), Stream.of("sub", "link")).sorted().toList();
        assertEquals(expected, names(dir), "each name once, and neither . nor ..");
        assertTrue(Files.isDirectory(dir.resolve("sub"), NOFOLLOW_LINKS));
        assertTrue(Files.isSymbolicLink(dir.resolve("link")));
        assertTrue(Files.isRegularFile(dir.resolve("with space"), NOFOLLOW_LINKS));
    }

    @Test
    void readdirListsEveryNameOfALargeDirectoryOnce() throws Exception {
        List<String> expected = IntStream.range(0, 3000).mapToObj(i -> String.format("entry-%04d", i)).toList();
        for (String name : expected) {
            Files.createFile(dir.resolve(name));
        }
        assertEquals(expected, names(dir));
    }

    // --- read and write at any offset

    @Test
    void aWriteFarPastTheEndLeavesAHoleOfZeros() throws Exception {
        Path file = dir.resolve("sparse");
        byte[] tail = pattern(4096, 1);
        try (FileChannel ch = FileChannel.open(file, CREATE_NEW, WRITE)) {
            writeAt(ch, 10 * MIB, tail);
        }
        assertEquals(10 * MIB + tail.length, Files.size(file));
        byte[] all = Files.readAllBytes(file);
        assertEquals(-1, Arrays.mismatch(new byte[10 * MIB], 0, 10 * MIB, all, 0, 10 * MIB), "first non-zero in the hole");
        assertArrayEquals(tail, Arrays.copyOfRange(all, 10 * MIB, all.length));
    }

    @Test
    void anOverwriteInTheMiddleKeepsBothEnds() throws Exception {
        byte[] expected = pattern(100_000, 1);
        Path file = Files.write(dir.resolve("file"), expected);
        byte[] patch = pattern(5_000, 2);
        try (FileChannel ch = FileChannel.open(file, WRITE)) {
            writeAt(ch, 40_000, patch);
        }
        System.arraycopy(patch, 0, expected, 40_000, patch.length);
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void readsAcrossDataHoleAndEndOfFile() throws Exception {
        // data at [0, 3000) and [65000, 68000), the latter across a 64 KiB block boundary; a hole between
        byte[] model = new byte[68_000];
        System.arraycopy(pattern(3_000, 1), 0, model, 0, 3_000);
        System.arraycopy(pattern(3_000, 2), 0, model, 65_000, 3_000);
        try (FileChannel ch = FileChannel.open(dir.resolve("file"), CREATE_NEW, READ, WRITE)) {
            writeAt(ch, 0, Arrays.copyOfRange(model, 0, 3_000));
            writeAt(ch, 65_000, Arrays.copyOfRange(model, 65_000, 68_000));
            int[][] reads = {{1_000, 4_000}, {64_000, 2_000}, {67_000, 4_096}, {68_000, 10}, {0, 68_000}};
            for (int[] read : reads) {
                int from = read[0];
                int to = Math.min(from + read[1], model.length);
                assertArrayEquals(Arrays.copyOfRange(model, from, to), readAt(ch, from, read[1]),
                        "read of " + read[1] + " at " + from);
            }
        }
    }

    // --- truncate

    @Test
    void truncateShrinksAndGrowsWithZeros() throws Exception {
        byte[] data = pattern(50_000, 1);
        Path file = Files.write(dir.resolve("file"), data);
        try (FileChannel ch = FileChannel.open(file, WRITE)) {
            ch.truncate(20_000);
        }
        assertArrayEquals(Arrays.copyOf(data, 20_000), Files.readAllBytes(file));
        // FileChannel.truncate never grows a file, so grow it with truncate(2) from python
        assertEquals(Errno.OK, Errno.ofPython("os.truncate(p[0], 90000)", file));
        assertArrayEquals(Arrays.copyOf(Arrays.copyOf(data, 20_000), 90_000), Files.readAllBytes(file),
                "bytes cut off must not come back");
        assertEquals(Errno.OK, Errno.ofPython("os.truncate(p[0], 5)", file));
        assertArrayEquals(Arrays.copyOf(data, 5), Files.readAllBytes(file));
    }

    @Test
    void openWithTruncateEmptiesTheFile() throws Exception {
        Path file = Files.write(dir.resolve("file"), pattern(10_000, 1));
        try (FileChannel ch = FileChannel.open(file, WRITE, TRUNCATE_EXISTING)) {
            assertEquals(0, ch.size());
            ch.write(US_ASCII.encode("short"));
        }
        assertEquals("short", Files.readString(file));
    }

    // --- fsync

    @Test
    void syncedDataSurvivesCloseAndReopen() throws Exception {
        byte[] data = pattern(300_000, 1);
        Path file = dir.resolve("file");
        try (FileChannel ch = FileChannel.open(file, CREATE_NEW, WRITE)) {
            writeAt(ch, 0, data);
            ch.force(false);
            writeAt(ch, data.length, data);
            ch.force(true);
        }
        byte[] twice = Arrays.copyOf(data, 2 * data.length);
        System.arraycopy(data, 0, twice, data.length, data.length);
        assertArrayEquals(twice, Files.readAllBytes(file));
        // databases fsync the directory after a rename
        try (FileChannel directory = FileChannel.open(dir, READ)) {
            directory.force(true);
        }
    }

    // --- mkdir, rmdir, unlink

    @Test
    void mkdirOfATakenNameIsEexist() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertTrue(Files.isDirectory(sub));
        assertEquals("EEXIST", Errno.of(() -> Files.createDirectory(sub)));
        Path file = Files.createFile(dir.resolve("file"));
        assertEquals("EEXIST", Errno.of(() -> Files.createDirectory(file)));
    }

    /** As ext4 counts: a directory's name and its "." make 2, and each subdirectory's ".." one more. */
    @Test
    void aDirectorysLinkCountFollowsItsSubdirectories() throws Exception {
        assertEquals(2, nlink(dir));
        Path a = Files.createDirectory(dir.resolve("a"));
        assertEquals(List.of(3, 2), List.of(nlink(dir), nlink(a)));
        Path sub = Files.createDirectory(a.resolve("sub"));
        Files.createFile(a.resolve("file"));
        assertEquals(3, nlink(a), "a file is no link of its directory");
        Path b = Files.createDirectory(dir.resolve("b"));
        assertEquals(4, nlink(dir));

        Files.move(sub, b.resolve("sub"), ATOMIC_MOVE);
        assertEquals(List.of(2, 3), List.of(nlink(a), nlink(b)), "a rename moves the link to the new parent");
        Files.move(b.resolve("sub"), b.resolve("renamed"), ATOMIC_MOVE);
        assertEquals(3, nlink(b));
        Path empty = Files.createDirectory(a.resolve("empty"));
        Files.move(b.resolve("renamed"), empty, ATOMIC_MOVE);
        assertEquals(List.of(3, 2), List.of(nlink(a), nlink(b)), "over an empty directory, which leaves with its link");

        Files.createFile(b.resolve("f"));
        assertEquals(Errno.OK, renameat2(empty, b.resolve("f"), 2));
        assertEquals(List.of(2, 3), List.of(nlink(a), nlink(b)), "a directory exchanged with a file takes its link along");
        Path d = Files.createDirectory(a.resolve("d"));
        assertEquals(Errno.OK, renameat2(b, d, 2));
        assertEquals(List.of(4, 3, 2, 3), List.of(nlink(dir), nlink(a), nlink(b), nlink(d)),
                "two directories exchanged: each parent keeps one, each directory its own count");

        Files.delete(d.resolve("f"));
        assertEquals(2, nlink(d));
        Files.delete(d);
        assertEquals(2, nlink(a), "rmdir takes the link away");
        Files.delete(b);
        assertEquals(3, nlink(dir));
    }

    @Test
    void rmdirOfANonEmptyDirectoryIsEnotempty() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path child = Files.createFile(sub.resolve("child"));
        assertEquals("ENOTEMPTY", Errno.of(() -> Files.delete(sub)));
        assertEquals("ENOTEMPTY", Errno.ofPython("os.rmdir(p[0])", sub));
        Files.delete(child);
        Files.delete(sub);
        assertFalse(Files.exists(sub, NOFOLLOW_LINKS));
    }

    @Test
    void rmdirOfAFileIsEnotdir() throws Exception {
        Path file = Files.createFile(dir.resolve("file"));
        assertEquals("ENOTDIR", Errno.ofPython("os.rmdir(p[0])", file));
        assertTrue(Files.isRegularFile(file));
    }

    @Test
    void unlinkOfADirectoryIsEisdir() throws Exception {
        // Linux answers EISDIR, where POSIX says EPERM
        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertEquals("EISDIR", Errno.ofPython("os.unlink(p[0])", sub));
        assertTrue(Files.isDirectory(sub));
    }

    @Test
    void unlinkRemovesTheNameButNotAnOpenFile() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "still here");
        try (FileChannel open = FileChannel.open(file, READ)) {
            Files.delete(file);
            assertEquals("ENOENT", Errno.of(() -> Files.readAttributes(file, BasicFileAttributes.class)));
            assertEquals(List.of(), names(dir), "an open unlinked file stays out of readdir, under any name");
            assertEquals("still here", new String(readAt(open, 0, 100), US_ASCII));
        }
        assertEquals("ENOENT", Errno.of(() -> Files.delete(file)));
        assertEquals("ENOENT", Errno.ofPython("os.unlink(p[0])", file));
    }

    // --- rename; ATOMIC_MOVE makes Files.move one rename(2) that reports its errno

    @Test
    void renameReplacesAFileAtomically() throws Exception {
        Path target = Files.write(dir.resolve("target"), version(0));
        AtomicBoolean done = new AtomicBoolean();
        // a reader must only ever see one whole version: never no file, never a mix
        FutureTask<String> reader = new FutureTask<>(() -> {
            int reads = 0;
            while (!done.get()) {
                byte[] seen;
                try {
                    seen = Files.readAllBytes(target);
                } catch (NoSuchFileException e) {
                    return "the target went missing after " + reads + " reads";
                }
                if (seen.length != 4096 || !Arrays.equals(seen, version(seen[0]))) {
                    return "read a torn version after " + reads + " reads";
                }
                reads++;
            }
            return reads > 0 ? null : "the reader never read";
        });
        new Thread(reader, "rename-reader").start();
        Path next = dir.resolve("next");
        try {
            for (int i = 1; i <= 100; i++) {
                Files.write(next, version(i));
                Files.move(next, target, ATOMIC_MOVE);
            }
        } finally {
            done.set(true);
        }
        assertNull(reader.get(10, TimeUnit.SECONDS));
        assertArrayEquals(version(100), Files.readAllBytes(target));
        assertEquals(List.of("target"), names(dir));
    }

    @Test
    void renameMovesAFileIntoAnotherDirectory() throws Exception {
        Path from = Files.createDirectory(dir.resolve("from"));
        Path to = Files.createDirectory(dir.resolve("to"));
        Path file = Files.writeString(from.resolve("file"), "payload");
        Files.move(file, to.resolve("renamed"), ATOMIC_MOVE);
        assertEquals("ENOENT", Errno.of(() -> Files.readAttributes(file, BasicFileAttributes.class)));
        assertEquals(List.of(), names(from));
        assertEquals(List.of("renamed"), names(to));
        assertEquals("payload", Files.readString(to.resolve("renamed")));
    }

    @Test
    void renameOfADirectoryCarriesItsContent() throws Exception {
        Path old = dir.resolve("old");
        Files.createDirectories(old.resolve("a/b"));
        Files.writeString(old.resolve("a/b/deep"), "deep");
        Files.writeString(old.resolve("top"), "top");
        Path renamed = dir.resolve("renamed");
        Files.move(old, renamed, ATOMIC_MOVE);

        assertEquals("deep", Files.readString(renamed.resolve("a/b/deep")));
        assertEquals("top", Files.readString(renamed.resolve("top")));
        assertEquals(List.of("a", "top"), names(renamed));
        assertEquals("ENOENT", Errno.of(() -> Files.readAttributes(old, BasicFileAttributes.class)));
        assertEquals("ENOENT", Errno.of(() -> Files.readString(old.resolve("a/b/deep"))));
        // the moved tree takes new entries where it now is
        Files.writeString(renamed.resolve("a/b/later"), "later");
        assertEquals(List.of("deep", "later"), names(renamed.resolve("a/b")));
    }

    @Test
    void renameOfADirectoryOverAnEmptyDirectoryReplacesIt() throws Exception {
        Path source = Files.createDirectory(dir.resolve("source"));
        Files.writeString(source.resolve("child"), "child");
        Path target = Files.createDirectory(dir.resolve("target"));
        Files.move(source, target, ATOMIC_MOVE);
        assertEquals(List.of("target"), names(dir));
        assertEquals("child", Files.readString(target.resolve("child")));
    }

    @Test
    void renameOfADirectoryOverANonEmptyDirectoryIsEnotempty() throws Exception {
        Path source = Files.createDirectory(dir.resolve("source"));
        Path target = Files.createDirectory(dir.resolve("target"));
        Files.createFile(target.resolve("occupant"));
        assertEquals("ENOTEMPTY", Errno.of(() -> Files.move(source, target, ATOMIC_MOVE)));
        assertTrue(Files.isDirectory(source));
        assertEquals(List.of("occupant"), names(target));
    }

    @Test
    void renameOfAFileOverADirectoryIsEisdir() throws Exception {
        Path file = Files.createFile(dir.resolve("file"));
        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertEquals("EISDIR", Errno.of(() -> Files.move(file, sub, ATOMIC_MOVE)));
        assertTrue(Files.isRegularFile(file));
        assertTrue(Files.isDirectory(sub));
    }

    @Test
    void renameOfADirectoryOverAFileIsEnotdir() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path file = Files.createFile(dir.resolve("file"));
        assertEquals("ENOTDIR", Errno.of(() -> Files.move(sub, file, ATOMIC_MOVE)));
        assertTrue(Files.isDirectory(sub));
        assertTrue(Files.isRegularFile(file));
    }

    @Test
    void renameOfADirectoryIntoItsOwnSubdirectoryIsEinval() throws Exception {
        Path parent = Files.createDirectory(dir.resolve("parent"));
        Path child = Files.createDirectory(parent.resolve("child"));
        assertEquals("EINVAL", Errno.of(() -> Files.move(parent, child.resolve("parent"), ATOMIC_MOVE)));
        assertEquals(List.of("child"), names(parent));
    }

    @Test
    void renameAndLinkAcrossBucketsAreExdevOnlyOnSeparateDevices() throws Exception {
        Path other = anotherBucket();
        Path file = Files.writeString(dir.resolve("file"), "payload");
        Path sub = Files.createDirectory(dir.resolve("sub"));
        // python, because Files.move without ATOMIC_MOVE hides EXDEV behind a copy
        List<String> errnos = List.of(
                Errno.ofPython("os.link(p[0], p[1])", file, other.resolve("link")),
                Errno.ofPython("os.rename(p[0], p[1])", file, other.resolve("file")),
                Errno.ofPython("os.rename(p[0], p[1])", sub, other.resolve("sub")));
        if (fs().bucketsAreSeparateDevices()) {
            assertEquals(List.of("EXDEV", "EXDEV", "EXDEV"), errnos);
            assertEquals(List.of("file", "sub"), names(dir));
            assertEquals(List.of(), names(other));
        } else {
            assertEquals(List.of(Errno.OK, Errno.OK, Errno.OK), errnos);
            assertEquals(List.of("file", "link", "sub"), names(other));
        }
    }

    // --- renameat2(2): its flags through libc, which Java's file API does not reach

    private static String renameat2(Path from, Path to, int flags) throws IOException, InterruptedException {
        return Errno.ofPython("""
                import ctypes
                libc = ctypes.CDLL(None, use_errno=True)
                if libc.renameat2(-100, p[0].encode(), -100, p[1].encode(), %d) != 0:
                    raise OSError(ctypes.get_errno(), "renameat2")""".formatted(flags), from, to);
    }

    @Test
    void renameNoReplaceRefusesAnExistingTargetAndMovesOtherwise() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Files.writeString(a, "A");
        Files.writeString(b, "B");
        assertEquals("EEXIST", renameat2(a, b, 1));
        assertEquals("A", Files.readString(a));
        assertEquals("B", Files.readString(b));
        Path c = dir.resolve("c");
        assertEquals(Errno.OK, renameat2(a, c, 1));
        assertFalse(Files.exists(a, NOFOLLOW_LINKS));
        assertEquals("A", Files.readString(c));
    }

    @Test
    void renameExchangeSwapsAFileAndADirectoryWithItsContent() throws Exception {
        Path f = dir.resolve("f");
        Path d = dir.resolve("d");
        Files.writeString(f, "file");
        Files.createDirectories(d.resolve("inner"));
        Files.writeString(d.resolve("inner").resolve("x"), "x");
        assertEquals(Errno.OK, renameat2(f, d, 2));
        assertTrue(Files.isRegularFile(d, NOFOLLOW_LINKS));
        assertEquals("file", Files.readString(d));
        assertEquals("x", Files.readString(f.resolve("inner").resolve("x")));
        assertEquals("ENOENT", renameat2(f, dir.resolve("missing"), 2));
        assertEquals(Errno.OK, renameat2(d, f, 2));
        assertEquals("file", Files.readString(f));
        assertEquals("x", Files.readString(d.resolve("inner").resolve("x")));
    }

    // --- symlinks

    @Test
    void symlinksResolveAndReadBack() throws Exception {
        Path target = Files.writeString(dir.resolve("target.txt"), "through the link");
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("target.txt"));
        assertEquals(Path.of("target.txt"), Files.readSymbolicLink(link));
        assertEquals("through the link", Files.readString(link));

        BasicFileAttributes lstat = Files.readAttributes(link, BasicFileAttributes.class, NOFOLLOW_LINKS);
        assertTrue(lstat.isSymbolicLink());
        assertEquals("target.txt".length(), lstat.size(), "a link's size is its target's length");
        assertTrue(Files.readAttributes(link, BasicFileAttributes.class).isRegularFile());

        Path absolute = Files.createSymbolicLink(dir.resolve("absolute"), target.toAbsolutePath());
        assertEquals("through the link", Files.readString(absolute));
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Files.createFile(sub.resolve("inner"));
        assertEquals(List.of("inner"), names(Files.createSymbolicLink(dir.resolve("to-sub"), Path.of("sub"))));
    }

    @Test
    void aDanglingSymlinkExistsOnlyAsALink() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("dangling"), Path.of("nowhere"));
        assertEquals(Path.of("nowhere"), Files.readSymbolicLink(link));
        assertTrue(Files.exists(link, NOFOLLOW_LINKS));
        assertFalse(Files.exists(link));
        assertEquals("ENOENT", Errno.of(() -> Files.readString(link)));
        // O_EXCL never follows a link: the name is taken
        assertEquals("EEXIST", Errno.of(() -> Files.newByteChannel(link, CREATE_NEW, WRITE).close()));
        // plain O_CREAT follows it and creates the target
        Files.writeString(link, "created");
        assertEquals("created", Files.readString(dir.resolve("nowhere")));
    }

    // --- hard links

    @Test
    void fifosAndSocketsAreStoredWithTheirType() throws Exception {
        Path fifo = dir.resolve("fifo");
        Path socket = dir.resolve("socket");
        assertEquals(Errno.OK, Errno.ofPython("os.mkfifo(p[0], 0o640)", fifo));
        assertEquals(Errno.OK, Errno.ofPython("import stat\nos.mknod(p[0], stat.S_IFSOCK | 0o600)", socket));
        String types = """
                import stat
                f, s = os.lstat(p[0]), os.lstat(p[1])
                if not (stat.S_ISFIFO(f.st_mode) and stat.S_IMODE(f.st_mode) == 0o640):
                    raise OSError(errno.EINVAL, "not a FIFO of mode 640")
                if not (stat.S_ISSOCK(s.st_mode) and stat.S_IMODE(s.st_mode) == 0o600):
                    raise OSError(errno.EINVAL, "not a socket of mode 600")""";
        assertEquals(Errno.OK, Errno.ofPython(types, fifo, socket));

        // the FIFO carries bytes from one process to another (the kernel runs the pipe)
        FutureTask<String> reader = new FutureTask<>(() -> Files.readString(fifo));
        new Thread(reader, "fifo-reader").start();
        Files.writeString(fifo, "through the pipe");
        assertEquals("through the pipe", reader.get(10, TimeUnit.SECONDS));

        Path moved = Files.move(fifo, dir.resolve("moved"), ATOMIC_MOVE);
        assertEquals(Errno.OK, Errno.ofPython(types, moved, socket));
        Files.delete(moved);
        Files.delete(socket);
        assertEquals(List.of(), names(dir));
    }

    @Test
    void deviceFilesKeepTheirTypeAndNumber() throws Exception {
        assumeTrue(runningAsRoot(), "only root makes device files");
        Path chr = dir.resolve("chr");
        Path blk = dir.resolve("blk");
        assertEquals(Errno.OK, Errno.ofPython("""
                import stat
                os.mknod(p[0], stat.S_IFCHR | 0o620, os.makedev(1, 2))
                os.mknod(p[1], stat.S_IFBLK | 0o640, os.makedev(8, 300))""", chr, blk));
        assertEquals(Errno.OK, Errno.ofPython("os.chmod(p[0], 0o600)", chr));
        String devices = """
                import stat
                c, b = os.lstat(p[0]), os.lstat(p[1])
                if not (stat.S_ISCHR(c.st_mode) and stat.S_IMODE(c.st_mode) == 0o600 and c.st_rdev == os.makedev(1, 2)):
                    raise OSError(errno.EINVAL, "not character device 1,2 of mode 600")
                if not (stat.S_ISBLK(b.st_mode) and stat.S_IMODE(b.st_mode) == 0o640 and b.st_rdev == os.makedev(8, 300)):
                    raise OSError(errno.EINVAL, "not block device 8,300 of mode 640")""";
        assertEquals(Errno.OK, Errno.ofPython(devices, chr, blk));
        Path moved = Files.move(chr, dir.resolve("moved"), ATOMIC_MOVE);
        assertEquals(Errno.OK, Errno.ofPython(devices, moved, blk), "a rename keeps type and device number");
        Files.delete(moved);
        Files.delete(blk);
        assertEquals(List.of(), names(dir));
    }

    @Test
    void hardLinksShareContentAndCountNames() throws Exception {
        Path first = Files.writeString(dir.resolve("first"), "v1");
        Path second = Files.createLink(Files.createDirectory(dir.resolve("sub")).resolve("second"), first);
        assertEquals(2, nlink(first));
        assertEquals(2, nlink(second));
        assertEquals(Files.getAttribute(first, "unix:ino"), Files.getAttribute(second, "unix:ino"));
        assertEquals("v1", Files.readString(second));

        Files.writeString(second, "v2, written through the second name");
        assertEquals("v2, written through the second name", Files.readString(first),
                "content and size written through one name show through the other");
        Files.delete(first);
        assertEquals(1, nlink(second));
        assertEquals("v2, written through the second name", Files.readString(second));
        assertEquals("EPERM", Errno.of(() -> Files.createLink(dir.resolve("dir-link"), dir.resolve("sub"))),
                "no hard links to directories");
    }

    @Test
    void linkCountsFollowAnUnlinkAndARenameOverALink() throws Exception {
        Path a = Files.writeString(dir.resolve("a"), "shared");
        Path b = Files.createLink(dir.resolve("b"), a);
        Path c = Files.createLink(dir.resolve("c"), a);
        assertEquals(3, nlink(c));
        Files.delete(a);
        assertEquals(2, nlink(b));
        assertEquals(2, nlink(c));
        Path other = Files.writeString(dir.resolve("other"), "other");
        Files.move(other, b, ATOMIC_MOVE);
        assertEquals(1, nlink(c), "the link a rename replaced no longer counts");
        assertEquals(1, nlink(b));
        assertEquals("other", Files.readString(b));
        assertEquals("shared", Files.readString(c));
    }

    // --- attributes

    @Test
    void chmodBitsReadBack() throws Exception {
        Path file = Files.createFile(dir.resolve("file"));
        for (String perms : List.of("rw-------", "rwxr-x---", "r--r--r--", "---------", "rwxrwxrwx")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
            assertEquals(perms, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        // set-id and sticky bits are outside Java's permission set
        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertEquals(Errno.OK, Errno.ofPython("os.chmod(p[0], 0o4755)\nos.chmod(p[1], 0o3775)", file, sub));
        assertEquals(04755, mode(file));
        assertEquals(03775, mode(sub));
    }

    @Test
    void chownSetsNumericIdsAndClearsSetuid() throws Exception {
        assumeTrue(runningAsRoot(), "only root gives files away");
        Path file = Files.createFile(dir.resolve("file"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(Errno.OK, Errno.ofPython("os.chmod(p[0], 0o6755)", file));
        Files.setAttribute(file, "unix:uid", 4321);
        Files.setAttribute(file, "unix:gid", 8765);
        assertEquals(4321, Files.getAttribute(file, "unix:uid"));
        assertEquals(8765, Files.getAttribute(file, "unix:gid"));
        // Linux drops set-user-ID and set-group-ID of an executable on chown, even root's chown
        assertEquals(0755, mode(file));
    }

    @Test
    void utimensSetsTimesToTheSecond() throws Exception {
        FileTime mtime = LONG_AGO;
        FileTime atime = FileTime.from(Instant.parse("2002-03-04T05:06:07Z"));
        for (Path p : List.of(Files.createFile(dir.resolve("file")), Files.createDirectory(dir.resolve("sub")))) {
            Files.getFileAttributeView(p, BasicFileAttributeView.class).setTimes(mtime, atime, null);
            BasicFileAttributes attributes = Files.readAttributes(p, BasicFileAttributes.class);
            assertEquals(mtime.toInstant(), attributes.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.SECONDS));
            assertEquals(atime.toInstant(), attributes.lastAccessTime().toInstant().truncatedTo(ChronoUnit.SECONDS));
        }
    }

    @Test
    void truncateByPathAndByHandleMovesSizeAndTimes() throws Exception {
        Path file = Files.createFile(dir.resolve("file"));
        assertChanges(file, () -> assertEquals(Errno.OK, Errno.ofPython("os.truncate(p[0], 123)", file)));
        assertEquals(123, Files.size(file));
        assertChanges(file, () -> assertEquals(Errno.OK, Errno.ofPython("""
                fd = os.open(p[0], os.O_WRONLY)
                os.ftruncate(fd, 567)
                os.close(fd)""", file)));
        assertEquals(567, Files.size(file));
        // far past what the filesystem holds: EFBIG (or EINVAL), or a sparse file of that size
        String huge = Errno.ofPython("os.truncate(p[0], 2 ** 62)", file);
        assertTrue(Set.of("EFBIG", "EINVAL").contains(huge) || huge.equals(Errno.OK) && Files.size(file) == 1L << 62, huge);
    }

    @Test
    void ctimeMovesWithEveryChangeOfAFileOrItsNames() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path file = Files.writeString(sub.resolve("file"), "content");
        Path link = sub.resolve("link");
        assertChanges(file, () -> Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------")));
        assertChanges(file, () -> Files.createLink(link, file));
        assertChanges(file, () -> Files.delete(link));
        Path renamed = sub.resolve("renamed");
        FileTime before = ctime(file);
        Thread.sleep(20);
        Files.move(file, renamed, ATOMIC_MOVE);
        assertTrue(ctime(renamed).compareTo(before) > 0, "rename moves the file's ctime");
        before = ctime(renamed);
        Files.readString(renamed);
        Files.readAttributes(renamed, BasicFileAttributes.class);
        assertEquals(before, ctime(renamed), "reading changes no ctime");
    }

    @Test
    void aDirectorysMtimeAndCtimeMoveWithItsEntries() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path file = sub.resolve("file");
        assertDirectoryChanges(sub, () -> Files.createFile(file));
        assertDirectoryChanges(sub, () -> Files.createDirectory(sub.resolve("child")));
        assertDirectoryChanges(sub, () -> Files.createLink(sub.resolve("link"), file));
        assertDirectoryChanges(sub, () -> Files.move(file, sub.resolve("moved"), ATOMIC_MOVE));
        assertDirectoryChanges(sub, () -> Files.delete(sub.resolve("link")));
        assertDirectoryChanges(sub, () -> Files.delete(sub.resolve("child")));
    }

    @Test
    void anOpenFileUnlinkedCountsNoLinks() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "content");
        assertEquals(Errno.OK, Errno.ofPython("""
                fd = os.open(p[0], os.O_RDONLY)
                os.unlink(p[0])
                n = os.fstat(fd).st_nlink
                os.close(fd)
                if n != 0:
                    raise OSError(errno.EINVAL, "fstat counts %d links" % n)""", file));
    }

    @Test
    void statfsReportsConsistentSpace() throws Exception {
        FileStore store = Files.getFileStore(dir);
        long total = store.getTotalSpace();
        assertTrue(total > 0, "total space " + total);
        assertTrue(store.getUnallocatedSpace() <= total, "free space beyond total");
        assertTrue(store.getUsableSpace() <= store.getUnallocatedSpace(), "available space beyond free");
    }

    @Test
    void userXattrsAreSetListedReadAndRemoved() throws Exception {
        for (Path p : List.of(Files.createFile(dir.resolve("file")), Files.createDirectory(dir.resolve("sub")))) {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
            byte[] binary = new byte[256];
            IntStream.range(0, 256).forEach(i -> binary[i] = (byte) i);
            view.write("color", StandardCharsets.UTF_8.encode("blue"));
            view.write("binary", ByteBuffer.wrap(binary));
            view.write("empty", ByteBuffer.allocate(0));
            assertEquals(Set.of("color", "binary", "empty"), Set.copyOf(view.list()));
            assertArrayEquals(binary, xattr(view, "binary"));
            assertArrayEquals(new byte[0], xattr(view, "empty"));

            view.write("color", StandardCharsets.UTF_8.encode("red"));
            assertEquals("red", new String(xattr(view, "color"), StandardCharsets.UTF_8), "a shorter value replaces");
            view.delete("color");
            assertEquals(Set.of("binary", "empty"), Set.copyOf(view.list()));
            assertEquals("ENODATA", Errno.of(() -> view.read("color", ByteBuffer.allocate(16))));
            assertEquals("ENODATA", Errno.ofPython("os.getxattr(p[0], 'user.color')", p));
        }
    }

    // --- locks

    @Test
    void anExclusiveFlockKeepsOtherProcessesOut() throws Exception {
        assumeTrue(Processes.installed("flock"), "flock(1) from util-linux is not installed");
        String file = Files.createFile(dir.resolve("lock")).toString();
        try (var holder = Processes.Holder.start("locked", "flock", "-x", file, "sh", "-c", "echo locked; read _")) {
            for (String mode : List.of("-x", "-s")) {
                assertEquals(LOCK_TAKEN, Processes.run(dir, "flock", "-n", "-E", String.valueOf(LOCK_TAKEN), mode, file, "true")
                        .exitCode(), "flock -n " + mode + " while another process holds -x");
            }
        }
        assertEquals(0, Processes.run(dir, "flock", "-n", "-x", file, "true").exitCode(), "the lock was let go");
    }

    @Test
    void posixRecordLocksKeepOtherProcessesOutOfTheirRangeUntilReleased() throws Exception {
        Path file = Files.write(dir.resolve("records"), new byte[200]);
        String hold = "import fcntl, os, sys\n"
                + "fd = os.open(sys.argv[1], os.O_RDWR)\n"
                + "fcntl.lockf(fd, fcntl.LOCK_EX, 100, 0)\n"
                + "print('locked', flush=True)\n"
                + "sys.stdin.read()";
        String overlapping = "fcntl.lockf(os.open(p[0], os.O_RDWR), fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 50)";
        String disjoint = "fcntl.lockf(os.open(p[0], os.O_RDWR), fcntl.LOCK_EX | fcntl.LOCK_NB, 100, 100)";
        try (var holder = Processes.Holder.start("locked", Processes.PYTHON, "-c", hold, file.toString())) {
            assertTrue(Set.of("EAGAIN", "EACCES").contains(Errno.ofPython(overlapping, file)), "bytes 50..59 are held");
            assertEquals(Errno.OK, Errno.ofPython(disjoint, file));
            // FileChannel locks are fcntl locks too
            try (FileChannel ch = FileChannel.open(file, WRITE)) {
                assertNull(ch.tryLock(0, 100, false));
                try (FileLock free = ch.tryLock(100, 100, false)) {
                    assertNotNull(free);
                }
            }
        }
        assertEquals(Errno.OK, Errno.ofPython(overlapping, file), "the holder's exit let go of its lock");
    }

    // --- open flags

    @Test
    void appendWritesLandAtTheEnd() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "base;");
        try (FileChannel one = FileChannel.open(file, APPEND); FileChannel two = FileChannel.open(file, APPEND)) {
            one.write(US_ASCII.encode("one;"));
            two.write(US_ASCII.encode("two;"));
            one.write(US_ASCII.encode("three;"));
        }
        assertEquals("base;one;two;three;", Files.readString(file));
    }

    @Test
    void createNewOnATakenNameIsEexist() throws Exception {
        Path file = dir.resolve("file");
        Files.newByteChannel(file, CREATE_NEW, WRITE).close();
        assertThrows(FileAlreadyExistsException.class, () -> Files.newByteChannel(file, CREATE_NEW, WRITE).close());
        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertEquals("EEXIST", Errno.of(() -> Files.newByteChannel(sub, CREATE_NEW, WRITE).close()));
    }

    // --- limits and permissions

    @Test
    void aNameOfMoreThan255BytesIsEnametoolong() throws Exception {
        assertEquals(Errno.OK, Errno.of(() -> Files.createFile(dir.resolve("n".repeat(255)))));
        assertEquals("ENAMETOOLONG", Errno.of(() -> Files.createFile(dir.resolve("n".repeat(256)))));
        assertEquals("ENAMETOOLONG", Errno.of(() -> Files.createDirectory(dir.resolve("d".repeat(256)))));
        assertEquals("ENAMETOOLONG", Errno.of(() -> Files.readAttributes(dir.resolve("x".repeat(256)),
                BasicFileAttributes.class)));
        // the limit counts bytes, not characters: U+00E9 is two bytes in UTF-8
        String create = "os.close(os.open(os.path.join(os.fsencode(p[0]), b'\\xc3\\xa9' * %d), os.O_CREAT | os.O_WRONLY))";
        assertEquals(Errno.OK, Errno.ofPython(create.formatted(127), dir));
        assertEquals("ENAMETOOLONG", Errno.ofPython(create.formatted(128), dir));
    }

    @Test
    void pathsUpToPathMaxWork() throws Exception {
        // 15 directories of 255-byte names: 3,840 bytes below the test's directory, walked relative to it
        assertEquals(Errno.OK, Errno.ofPython("""
                os.chdir(p[0])
                rel = '/'.join(['d' * 255] * 15)
                os.makedirs(rel)
                with open(rel + '/' + 'f' * 200, 'w') as f:
                    f.write('deep')
                with open(rel + '/' + 'f' * 200) as f:
                    if f.read() != 'deep':
                        raise OSError(errno.EIO, 'read back wrong content')
                try:
                    os.stat(rel + '/' + 'x' * 255 + '/y')
                except OSError as e:
                    if e.errno != errno.ENAMETOOLONG:
                        raise
                else:
                    raise OSError(errno.EEXIST, 'a path over PATH_MAX was found')
                # removed here: the test's cleanup walks absolute paths, over PATH_MAX down there
                os.unlink(rel + '/' + 'f' * 200)
                for depth in range(15, 0, -1):
                    os.rmdir('/'.join(['d' * 255] * depth))""", dir));
    }

    @Test
    void anotherUserIsDeniedAPrivateFile() throws Exception {
        assumeTrue(fs().enforcesPermissions(), "the filesystem does not enforce permissions");
        assumeTrue(runningAsRoot(), "only root can run a child as nobody");
        assumeTrue(Processes.installed("setpriv"), "setpriv from util-linux is not installed");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path shared = Files.writeString(dir.resolve("shared"), "shared");
        Path secret = Files.writeString(dir.resolve("secret"), "secret");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));

        assertEquals(Errno.OK, Errno.ofPythonAsNobody("open(p[0]).read()", shared), "nobody reads a shared file");
        assertEquals("EACCES", Errno.ofPythonAsNobody("open(p[0]).read()", secret));
        assertEquals("EACCES", Errno.ofPythonAsNobody("open(p[0], 'a').close()", shared));
        assertEquals("EACCES", Errno.ofPythonAsNobody("open(os.path.join(p[0], 'new'), 'w').close()", dir));
    }

    @Test
    void stickyDirectoriesChownAndUtimesFollowTheOwnershipRules() throws Exception {
        assumeTrue(fs().enforcesPermissions(), "the filesystem does not enforce permissions");
        assumeTrue(runningAsRoot(), "only root can run a child as nobody");
        assumeTrue(Processes.installed("setpriv"), "setpriv from util-linux is not installed");
        Path sticky = Files.createDirectory(dir.resolve("sticky"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(Errno.OK, Errno.ofPython("os.chmod(p[0], 0o1777)", sticky));
        Path roots = Files.writeString(sticky.resolve("roots"), "root's");
        Files.setPosixFilePermissions(roots, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path own = sticky.resolve("own");

        // in a sticky directory only the owner of a file (or of the directory) removes or renames it
        assertEquals("EPERM", Errno.ofPythonAsNobody("os.unlink(p[0])", roots));
        assertEquals("EPERM", Errno.ofPythonAsNobody("os.rename(p[0], p[1])", roots, own));
        assertEquals(Errno.OK, Errno.ofPythonAsNobody("open(p[0], 'w').close()\nos.rename(p[0], p[0] + '2')\nos.unlink(p[0] + '2')", own));

        // a user keeps their own files: no giving them away, no group they are not in
        assertEquals(Errno.OK, Errno.ofPythonAsNobody("open(p[0], 'w').close()", own));
        assertEquals("EPERM", Errno.ofPythonAsNobody("os.chown(p[0], 0, -1)", own));
        assertEquals("EPERM", Errno.ofPythonAsNobody("os.chown(p[0], -1, 0)", own));
        assertEquals("EPERM", Errno.ofPythonAsNobody("os.chmod(p[0], 0o600)", roots), "only the owner changes the mode");

        // times: "now" needs write permission, any other time needs ownership
        assertEquals(Errno.OK, Errno.ofPythonAsNobody("os.utime(p[0], None)", roots));
        assertEquals("EPERM", Errno.ofPythonAsNobody("os.utime(p[0], (1, 1))", roots));
        Files.setPosixFilePermissions(roots, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals("EACCES", Errno.ofPythonAsNobody("os.utime(p[0], None)", roots));
        assertEquals("EACCES", Errno.ofPythonAsNobody("os.close(os.open(p[0], os.O_RDONLY | os.O_TRUNC))", roots),
                "O_TRUNC needs write permission");
        assertEquals("root's", Files.readString(roots));
    }

    // --- helpers

    private static void assertWithin(Instant from, Instant to, FileTime time) {
        Instant t = time.toInstant();
        assertFalse(t.isBefore(from) || t.isAfter(to), t + " is not between " + from + " and " + to);
    }

    /** Entry names, sorted but with any duplicates kept. */
    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] pattern(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] version(int n) {
        byte[] bytes = new byte[4096];
        Arrays.fill(bytes, (byte) n);
        return bytes;
    }

    private static void writeAt(FileChannel ch, long position, byte[] data) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
            ch.write(buffer, position + buffer.position());
        }
    }

    /** Up to max bytes from position, fewer only at the end of the file. */
    private static byte[] readAt(FileChannel ch, long position, int max) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(max);
        while (buffer.hasRemaining()) {
            if (ch.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    private static byte[] xattr(UserDefinedFileAttributeView view, String name) throws IOException {
        ByteBuffer value = ByteBuffer.allocate(view.size(name));
        view.read(name, value);
        return Arrays.copyOf(value.array(), value.position());
    }

    /** A change made through the filesystem under test. */
    private interface Change {
        void run() throws Exception;
    }

    /** The call moves the path's ctime forward. */
    private static void assertChanges(Path p, Change call) throws Exception {
        FileTime before = ctime(p);
        Thread.sleep(20);
        call.run();
        assertTrue(ctime(p).compareTo(before) > 0, "ctime of " + p.getFileName() + " stayed " + before);
    }

    /** The call moves the directory's mtime and ctime forward. */
    private static void assertDirectoryChanges(Path directory, Change call) throws Exception {
        FileTime ctime = ctime(directory);
        FileTime mtime = Files.getLastModifiedTime(directory);
        Thread.sleep(20);
        call.run();
        assertTrue(ctime(directory).compareTo(ctime) > 0, "ctime of the directory stayed " + ctime);
        assertTrue(Files.getLastModifiedTime(directory).compareTo(mtime) > 0, "mtime of the directory stayed " + mtime);
    }

    private static FileTime ctime(Path p) throws IOException {
        return (FileTime) Files.getAttribute(p, "unix:ctime", NOFOLLOW_LINKS);
    }

    private static int nlink(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:nlink");
    }

    /** Permission, set-id and sticky bits of st_mode. */
    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode") & 07777;
    }

    private static boolean runningAsRoot() {
        return new UnixSystem().getUid() == 0;
    }
}
