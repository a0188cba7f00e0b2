package io.mooseng.s3compat.fuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mooseng.s3compat.AdminCli;
import io.mooseng.s3compat.RepoRoot;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mooseng import}: a tree with every kind of entry, on a local disk and on a real MooseFS,
 * copied into a bucket directory, then checked through a mount of the cluster (contents, modes,
 * owners, times, symlinks, hard links, a FIFO, xattrs); run again it skips everything; a changed
 * file is copied again.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ImportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FileTime OLD = FileTime.from(Instant.parse("2001-02-03T04:05:06.789Z"));

    @RegisterExtension
    static final MountedCluster cluster = new MountedCluster();

    @TempDir
    static Path tmp;

    private static Path source;
    private static final byte[] BIG = new byte[9 * 1024 * 1024 + 123]; // several 4 MiB blocks and a tail

    @BeforeAll
    static void makeSourceTree() throws Exception {
        new Random(42).nextBytes(BIG);
        source = Files.createDirectories(tmp.resolve("local-tree"));
        makeTree(source);
    }

    /** Every kind of entry, with owners, modes, times and xattrs of its own. */
    private static void makeTree(Path source) throws Exception {
        Files.writeString(source.resolve("a.txt"), "hello from MooseFS\n");
        Files.write(source.resolve("big.bin"), BIG);
        Files.createFile(source.resolve("empty"));
        Path deep = Files.createDirectories(source.resolve("dir/sub"));
        Files.writeString(deep.resolve("deep.txt"), "deep\n");
        Files.createSymbolicLink(source.resolve("link"), Path.of("a.txt"));
        Files.createSymbolicLink(source.resolve("dangling"), Path.of("no/such/target"));
        Files.writeString(source.resolve("hard1"), "linked twice\n");
        Files.createLink(source.resolve("dir/hard2"), source.resolve("hard1"));
        Processes.ok(source, "mkfifo", "-m", "0620", "fifo");

        Processes.ok(source, "chown", "1234:5678", "a.txt");
        Processes.ok(source, "chmod", "0640", "a.txt");
        Processes.ok(source, "chmod", "0750", "dir");
        UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(source.resolve("a.txt"), UserDefinedFileAttributeView.class);
        xattrs.write("color", StandardCharsets.UTF_8.encode("blue"));
        xattrs.write("raw", ByteBuffer.wrap(new byte[]{0, (byte) 0xff, 7}));
        Files.setLastModifiedTime(source.resolve("a.txt"), OLD);
        Files.setLastModifiedTime(deep, OLD);
    }

    private static JsonNode importTree(Path source, String to) throws Exception {
        AdminCli.Outcome o = AdminCli.mooseng(cluster.cluster().raftAddress().toString(), "import", source.toString(),
                "--to", to, "--json", "--progress", "never", "--parallel", "3");
        assertEquals(0, o.status(), o.printed());
        return JSON.readTree(o.printed());
    }

    @Test
    void aTreeArrivesWithItsAttributesAndASecondRunSkipsIt() throws Exception {
        JsonNode first = importTree(source, "imported/from-local");
        assertImported(first, source, cluster.root().resolve("imported/from-local"));

        JsonNode again = importTree(source, "imported/from-local");
        assertEquals(0, again.get("files").asInt(), again::toString);
        assertEquals(9, again.get("skipped").asInt(), again::toString); // every entry but the directories
        assertEquals(0, again.get("failed").asInt(), again::toString);

        Files.writeString(source.resolve("dir/sub/deep.txt"), "deeper now\n");
        JsonNode changed = importTree(source, "imported/from-local");
        assertEquals(1, changed.get("files").asInt(), changed::toString);
        assertEquals("deeper now\n", cluster.s3().getObjectAsBytes(b -> b.bucket("imported").key("from-local/dir/sub/deep.txt"))
                .asUtf8String());
    }

    /** The same tree made on a real MooseFS 3 (Debian's packages, scripts/moosefs.sh) and imported from its mount. */
    @Test
    void aTreeOnMooseFsArrivesWithItsAttributes() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mfsmaster")) && Files.isExecutable(Path.of("/usr/bin/mfsmount")),
                "MooseFS is not installed (scripts/install-deps.sh test installs moosefs-master, -chunkserver, -client, -cli)");
        Path script = RepoRoot.find().resolve("scripts/moosefs.sh");
        Path moosefs = tmp.resolve("moosefs");
        try {
            Processes.ok(tmp, script.toString(), "up", moosefs.toString());
            Path tree = Files.createDirectories(moosefs.resolve("mnt/projects"));
            makeTree(tree);
            JsonNode report = importTree(tree, "imported/from-moosefs");
            assertImported(report, tree, cluster.root().resolve("imported/from-moosefs"));
        } finally {
            Processes.run(tmp, script.toString(), "down", moosefs.toString());
        }
    }

    /** What {@link #makeTree} made at {@code source} is at {@code to} as it is there, and the report counts it. */
    private static void assertImported(JsonNode first, Path source, Path to) throws Exception {
        assertEquals(5, first.get("files").asInt(), first::toString); // a.txt big.bin empty deep.txt hard1
        assertEquals(1, first.get("hardLinks").asInt(), first::toString);
        assertEquals(2, first.get("symlinks").asInt(), first::toString);
        assertEquals(1, first.get("specialFiles").asInt(), first::toString);
        assertEquals(3, first.get("directories").asInt(), first::toString); // the target, dir, dir/sub
        assertEquals(5, first.get("verified").asInt(), first::toString);
        assertEquals(0, first.get("failed").asInt(), first::toString);

        assertEquals("hello from MooseFS\n", Files.readString(to.resolve("a.txt")));
        assertArrayEquals(BIG, Files.readAllBytes(to.resolve("big.bin")));
        assertEquals(0, Files.size(to.resolve("empty")));
        assertEquals("deep\n", Files.readString(to.resolve("dir/sub/deep.txt")));
        for (String p : List.of("a.txt", "big.bin", "empty", "dir", "dir/sub", "dir/sub/deep.txt", "hard1", "fifo")) {
            for (String attribute : List.of("unix:mode", "unix:uid", "unix:gid")) {
                assertEquals(Files.getAttribute(source.resolve(p), attribute, LinkOption.NOFOLLOW_LINKS),
                        Files.getAttribute(to.resolve(p), attribute, LinkOption.NOFOLLOW_LINKS), p + " " + attribute);
            }
            assertEquals(Files.getLastModifiedTime(source.resolve(p), LinkOption.NOFOLLOW_LINKS).toMillis(),
                    Files.getLastModifiedTime(to.resolve(p), LinkOption.NOFOLLOW_LINKS).toMillis(), p + " mtime");
        }
        assertEquals(1234, Files.getAttribute(to.resolve("a.txt"), "unix:uid"));
        // MooseFS keeps whole seconds
        assertEquals(OLD.toMillis() / 1000, Files.getLastModifiedTime(to.resolve("dir/sub")).toMillis() / 1000, "directories get their times last");
        assertEquals(Path.of("a.txt"), Files.readSymbolicLink(to.resolve("link")));
        assertEquals(Path.of("no/such/target"), Files.readSymbolicLink(to.resolve("dangling")));
        assertEquals(Files.getAttribute(to.resolve("hard1"), "unix:ino"), Files.getAttribute(to.resolve("dir/hard2"), "unix:ino"));
        assertEquals(2, Files.getAttribute(to.resolve("hard1"), "unix:nlink"));
        assertTrue(Files.readAttributes(to.resolve("fifo"), java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther());
        UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(to.resolve("a.txt"), UserDefinedFileAttributeView.class);
        assertEquals(List.of("color", "raw"), xattrs.list().stream().sorted().toList());
        ByteBuffer raw = ByteBuffer.allocate(3);
        xattrs.read("raw", raw);
        assertArrayEquals(new byte[]{0, (byte) 0xff, 7}, raw.array());
    }
}
