package io.mooseng.s3compat.fuse;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Programs people run on a filesystem, run on the filesystem under test: cp, rsync, git, tar and a C compiler. */
public abstract class RealProgramsContract extends BucketPerTest {
    private static final int FILES = 300;
    private static final int MAX_FILE_SIZE = 200 * 1024;

    /** Local scratch space, off the filesystem under test. */
    @TempDir
    Path local;

    @Test
    void cpArchiveCopiesATreeExactly() throws Exception {
        Path source = buildTree(local.resolve("tree"));
        Processes.ok(local, "cp", "-a", source.toString(), dir.resolve("tree").toString());
        assertSameTree(source, dir.resolve("tree"));
    }

    @Test
    void rsyncArchiveCopiesATreeExactly() throws Exception {
        assumeTrue(Processes.installed("rsync"), "rsync is not installed");
        Path source = buildTree(local.resolve("tree"));
        Processes.ok(local, "rsync", "-a", source + "/", dir.resolve("tree") + "/");
        assertSameTree(source, dir.resolve("tree"));
    }

    @Test
    void gitCommitsFsckAndGc() throws Exception {
        assumeTrue(Processes.installed("git"), "git is not installed");
        Path repo = Files.createDirectory(dir.resolve("repo"));
        git(repo, "init", "-q");
        Random random = new Random(1);
        List<String> subjects = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Files.writeString(repo.resolve("README"), "revision " + i + "\n");
            byte[] data = new byte[i * 20_000];
            random.nextBytes(data);
            Files.write(Files.createDirectories(repo.resolve("src/v" + i)).resolve("data.bin"), data);
            if (i == 3) {
                git(repo, "mv", "src/v1", "src/moved");
            } else if (i == 4) {
                git(repo, "rm", "-q", "-r", "src/v2");
            }
            git(repo, "add", "-A");
            git(repo, "commit", "-q", "-m", "commit " + i);
            subjects.add(0, "commit " + i);
        }
        git(repo, "fsck", "--full", "--strict");
        assertEquals(subjects, git(repo, "log", "--format=%s").lines().toList());

        git(repo, "gc", "--quiet", "--prune=now");
        git(repo, "fsck", "--full", "--strict");
        assertEquals(subjects, git(repo, "log", "--format=%s").lines().toList());
        assertTrue(git(repo, "count-objects", "-v").lines().anyMatch("count: 0"::equals), "gc packed every object");
        assertEquals("", git(repo, "status", "--porcelain"));
    }

    @Test
    void aTarballOfCSourceUnpacksCompilesAndRuns() throws Exception {
        assumeTrue(Processes.installed("cc"), "cc is not installed");
        Path project = Files.createDirectory(local.resolve("calc"));
        Files.writeString(project.resolve("helper.h"), "int multiply(int a, int b);\n");
        Files.writeString(project.resolve("helper.c"), """
                #include "helper.h"
                int multiply(int a, int b) { return a * b; }
                """);
        Files.writeString(project.resolve("main.c"), """
                #include <stdio.h>
                #include <stdlib.h>
                #include "helper.h"
                int main(int argc, char **argv) {
                    printf("%d\\n", multiply(atoi(argv[1]), atoi(argv[2])));
                    return 0;
                }
                """);
        String tarball = local.resolve("calc.tar.gz").toString();
        Processes.ok(local, "tar", "czf", tarball, "calc");

        Processes.ok(dir, "tar", "xzf", tarball);
        Path unpacked = dir.resolve("calc");
        Processes.ok(unpacked, "cc", "-o", "prog", "main.c", "helper.c");
        assertEquals("42\n", Processes.ok(unpacked, unpacked.resolve("prog").toString(), "6", "7"));
    }

    /** Runs git with this test's identity and none of this machine's configuration. */
    private String git(Path repo, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=MooseNG Tests",
                "-c", "user.email=tests@mooseng.invalid", "-c", "init.defaultBranch=main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile());
        builder.environment().put("HOME", local.toString());
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        return Processes.ok(builder);
    }

    /**
     * A few hundred files of random sizes in nested directories, some executable, plus an empty directory and a
     * symlink; times lie in the past, so a copy that drops them shows.
     */
    private static Path buildTree(Path root) throws IOException {
        Random random = new Random(42);
        List<Path> dirs = new ArrayList<>(List.of(Files.createDirectory(root)));
        for (int i = 0; i < 24; i++) {
            dirs.add(Files.createDirectory(dirs.get(random.nextInt(dirs.size())).resolve("dir-" + i)));
        }
        Files.createDirectory(root.resolve("empty"));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            byte[] data = new byte[random.nextInt(MAX_FILE_SIZE + 1)];
            random.nextBytes(data);
            Path file = Files.write(dirs.get(random.nextInt(dirs.size())).resolve("file-" + i), data);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(i % 5 == 0 ? "rwxr-xr-x" : "rw-r--r--"));
            files.add(file);
        }
        Files.createSymbolicLink(root.resolve("link"), root.relativize(files.get(0)));
        // deepest first: a new entry would move its directory's mtime again
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                if (!Files.isSymbolicLink(p)) {
                    Instant past = Instant.ofEpochSecond(1_500_000_000L + random.nextInt(100_000_000));
                    Files.setLastModifiedTime(p, FileTime.from(past));
                }
            }
        }
        return root;
    }

    /** Both trees hold the same paths, each of the same type, mode, mtime to the second, content or link target. */
    private static void assertSameTree(Path expected, Path actual) throws IOException {
        SortedMap<String, String> want = describe(expected);
        SortedMap<String, String> got = describe(actual);
        TreeSet<String> paths = new TreeSet<>(want.keySet());
        paths.addAll(got.keySet());
        List<String> differences = paths.stream()
                .filter(p -> !Objects.equals(want.get(p), got.get(p)))
                .map(p -> "/" + p + ": expected " + want.get(p) + ", got " + got.get(p))
                .limit(20)
                .toList();
        assertTrue(differences.isEmpty(), String.join("\n", differences));
        assertTrue(want.size() > FILES, "the tree was walked");
    }

    private static SortedMap<String, String> describe(Path root) throws IOException {
        SortedMap<String, String> entries = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, NOFOLLOW_LINKS);
                String common = PosixFilePermissions.toString(a.permissions()) + " mtime "
                        + a.lastModifiedTime().toInstant().getEpochSecond();
                String what = a.isSymbolicLink() ? "link to " + Files.readSymbolicLink(p)
                        : a.isDirectory() ? "dir " + common
                        : "file " + common + " sha256 " + sha256(p);
                entries.put(root.relativize(p).toString(), what);
            }
        }
        return entries;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
