package io.mooseng.s3compat.fuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mooseng.s3compat.AdminCli;
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
 * {@code mooseng import}: a local tree with every kind of entry copied into a bucket directory,
 * then checked through a mount of the cluster (contents, modes, owners, times, symlinks, hard
 * links, a FIFO, xattrs); run again it skips everything; a changed file is copied again.
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
    private static byte[] big;

    @BeforeAll
    static void makeSourceTree() throws Exception {
        source = Files.createDirectories(tmp.resolve("moosefs-tree"));
        Files.writeString(source.resolve("a.txt"), "hello from MooseFS\n");
        big = new byte[9 * 1024 * 1024 + 123]; // several 4 MiB blocks and a tail
        new Random(42).nextBytes(big);
        Files.write(source.resolve("big.bin"), big);
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

    private static JsonNode importTree() throws Exception {
        AdminCli.Outcome o = AdminCli.mooseng(cluster.cluster().raftAddress().toString(), "import", source.toString(),
                "--to", "imported/from-moose", "--json", "--progress", "never", "--parallel", "3");
        assertEquals(0, o.status(), o.printed());
        return JSON.readTree(o.printed());
    }

    @Test
    void aTreeArrivesWithItsAttributesAndASecondRunSkipsIt() throws Exception {
        JsonNode first = importTree();
        assertEquals(5, first.get("files").asInt(), first::toString); // a.txt big.bin empty deep.txt hard1
        assertEquals(1, first.get("hardLinks").asInt(), first::toString);
        assertEquals(2, first.get("symlinks").asInt(), first::toString);
        assertEquals(1, first.get("specialFiles").asInt(), first::toString);
        assertEquals(3, first.get("directories").asInt(), first::toString); // from-moose, dir, dir/sub
        assertEquals(5, first.get("verified").asInt(), first::toString);
        assertEquals(0, first.get("failed").asInt(), first::toString);

        Path to = cluster.root().resolve("imported/from-moose");
        assertEquals("hello from MooseFS\n", Files.readString(to.resolve("a.txt")));
        assertArrayEquals(big, Files.readAllBytes(to.resolve("big.bin")));
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
        assertEquals(OLD.toMillis(), Files.getLastModifiedTime(to.resolve("dir/sub")).toMillis(), "directories get their times last");
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

        JsonNode again = importTree();
        assertEquals(0, again.get("files").asInt(), again::toString);
        assertEquals(9, again.get("skipped").asInt(), again::toString); // every entry but the directories
        assertEquals(0, again.get("failed").asInt(), again::toString);

        Files.writeString(source.resolve("dir/sub/deep.txt"), "deeper now\n");
        JsonNode changed = importTree();
        assertEquals(1, changed.get("files").asInt(), changed::toString);
        assertEquals("deeper now\n", cluster.s3().getObjectAsBytes(b -> b.bucket("imported").key("from-moose/dir/sub/deep.txt"))
                .asUtf8String());
    }
}
