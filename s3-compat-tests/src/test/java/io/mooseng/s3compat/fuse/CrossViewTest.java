package io.mooseng.s3compat.fuse;

import io.mooseng.fuse.MountConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One namespace, two doors: what S3 writes the mount reads, and the reverse; and two mounts of one cluster. */
class CrossViewTest {
    @RegisterExtension
    static final MountedCluster cluster = new MountedCluster();

    private static final Random RANDOM = new Random(7);

    @Test
    void objectPutOverS3IsAFileInTheMount() throws Exception {
        Path bucket = cluster.newBucket("s3-to-mount");
        byte[] small = bytes(3_000);
        byte[] large = bytes(9 << 20);
        cluster.put("s3-to-mount", "docs/a.txt", small);
        cluster.put("s3-to-mount", "docs/deep/b.bin", large);
        assertArrayEquals(small, Files.readAllBytes(bucket.resolve("docs/a.txt")));
        assertArrayEquals(large, Files.readAllBytes(bucket.resolve("docs/deep/b.bin")));
        assertTrue(Files.isDirectory(bucket.resolve("docs/deep")));

        // an overwrite and a delete over S3 show once the mount's cache TTL passed
        byte[] newer = bytes(5_000);
        cluster.put("s3-to-mount", "docs/a.txt", newer);
        cluster.s3().deleteObject(b -> b.bucket("s3-to-mount").key("docs/deep/b.bin"));
        Thread.sleep(MountConfig.DEFAULT_CACHE_TTL_MILLIS + 200);
        assertArrayEquals(newer, Files.readAllBytes(bucket.resolve("docs/a.txt")));
        assertFalse(Files.exists(bucket.resolve("docs/deep/b.bin")));
    }

    /** Directories S3 makes (a marker, or implied by a nested key) count in their parents' links as the mount's own do. */
    @Test
    void directoriesMadeOverS3CountInTheMountsLinkCounts() throws Exception {
        Path bucket = cluster.newBucket("s3-links");
        assertEquals(2, nlink(bucket));
        cluster.put("s3-links", "marked/", new byte[0]);
        cluster.put("s3-links", "nested/deeper/file", bytes(10));
        // the mount's cached root shows other clients' changes within its TTL
        awaitTrue(() -> nlink(bucket) == 4, "the bucket root's two new subdirectories");
        assertEquals(2, nlink(bucket.resolve("marked")));
        assertEquals(3, nlink(bucket.resolve("nested")));
        assertEquals(2, nlink(bucket.resolve("nested/deeper")));

        Files.createDirectory(bucket.resolve("marked/sub"));
        assertEquals(3, nlink(bucket.resolve("marked")));
        cluster.s3().deleteObject(b -> b.bucket("s3-links").key("nested/deeper/file"));
        awaitTrue(() -> nlink(bucket) == 3, "the pruned directories leaving the bucket root");
    }

    private static int nlink(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:nlink");
    }

    /** A versioned bucket in the mount: only each key's current version, as it changes; noncurrent versions and delete markers never show. */
    @Test
    void aVersionedBucketShowsOnlyTheCurrentVersionInTheMount() throws Exception {
        Path bucket = cluster.newBucket("versioned-view");
        cluster.s3().putBucketVersioning(b -> b.bucket("versioned-view").versioningConfiguration(c -> c.status("Enabled")));
        byte[] v1 = bytes(2_000);
        byte[] v2 = bytes(300_000);
        cluster.put("versioned-view", "docs/a.txt", v1);
        cluster.put("versioned-view", "docs/a.txt", v2);
        cluster.put("versioned-view", "docs/gone.txt", bytes(10));
        cluster.s3().deleteObject(b -> b.bucket("versioned-view").key("docs/gone.txt"));
        Thread.sleep(MountConfig.DEFAULT_CACHE_TTL_MILLIS + 200);
        assertArrayEquals(v2, Files.readAllBytes(bucket.resolve("docs/a.txt")));
        try (var names = Files.list(bucket.resolve("docs"))) {
            assertEquals(List.of("a.txt"), names.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(v2.length, Files.size(bucket.resolve("docs/a.txt")));

        // removing the current version by id makes the previous one current, in the mount too
        String current = cluster.s3().headObject(b -> b.bucket("versioned-view").key("docs/a.txt")).versionId();
        cluster.s3().deleteObject(b -> b.bucket("versioned-view").key("docs/a.txt").versionId(current));
        Thread.sleep(MountConfig.DEFAULT_CACHE_TTL_MILLIS + 200);
        assertArrayEquals(v1, Files.readAllBytes(bucket.resolve("docs/a.txt")));
    }

    /**
     * In a versioned bucket the mount's writes make versions as S3's do: new content keeps the old as a noncurrent
     * version under a new version id, a rename over a file keeps the replaced one, and rm writes a delete marker.
     */
    @Test
    void theMountsChangesInAVersionedBucketMakeVersions() throws Exception {
        String name = "versioned-writes";
        Path bucket = cluster.newBucket(name);
        cluster.s3().putBucketVersioning(b -> b.bucket(name).versioningConfiguration(c -> c.status("Enabled")));
        byte[] v1 = bytes(3_000);
        byte[] v2 = bytes(200_000);
        byte[] v3 = bytes(5_000);
        Path file = bucket.resolve("notes.txt");
        Files.write(file, v1);
        Files.write(file, v2);
        // the mount answers before its changes commit: the history is awaited
        awaitTrue(() -> contents(name, "notes.txt").size() >= 2 && Arrays.equals(v2, contents(name, "notes.txt").getFirst()),
                "the rewrite's version");
        assertTrue(contents(name, "notes.txt").stream().anyMatch(c -> Arrays.equals(v1, c)), "the first content is kept");
        String rewritten = cluster.s3().headObject(b -> b.bucket(name).key("notes.txt")).versionId();

        Path tmp = bucket.resolve("notes.tmp");
        Files.write(tmp, v3);
        // mv's rename(2) (Java's Files.move unlinks an existing target first)
        Processes.ok(bucket, "mv", "notes.tmp", "notes.txt");
        awaitTrue(() -> Arrays.equals(v3, contents(name, "notes.txt").getFirst()), "the renamed file's version");
        assertArrayEquals(v2, cluster.s3().getObjectAsBytes(b -> b.bucket(name).key("notes.txt").versionId(rewritten)).asByteArray(),
                "the replaced file is kept under its version id");
        assertTrue(versions(name, "notes.tmp").isEmpty(), "a name without history gets no delete marker");

        Files.delete(file);
        awaitTrue(() -> versions(name, "notes.txt").getFirst().deleteMarker(), "the delete marker");
        assertThrows(NoSuchKeyException.class, () -> cluster.s3().headObject(b -> b.bucket(name).key("notes.txt")));
        List<byte[]> kept = contents(name, "notes.txt");
        assertArrayEquals(v3, kept.getFirst());
        assertEquals(kept.size() + 1, versions(name, "notes.txt").size(), "one delete marker: " + versions(name, "notes.txt"));
        assertEquals(versions(name, "notes.txt").size(), versions(name, "notes.txt").stream().map(v -> v.versionId()).distinct().count());
    }

    /** Truncating is new content too: the old is kept; what is then written into the empty file replaces the empty version. */
    @Test
    void truncatingAFileInAVersionedBucketKeepsItsContent() throws Exception {
        String name = "versioned-truncate";
        Path bucket = cluster.newBucket(name);
        cluster.s3().putBucketVersioning(b -> b.bucket(name).versioningConfiguration(c -> c.status("Enabled")));
        byte[] v1 = bytes(4_000);
        byte[] v2 = bytes(7_000);
        Path file = bucket.resolve("log.txt");
        Files.write(file, v1);
        awaitTrue(() -> contents(name, "log.txt").size() == 1, "the first version");
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.truncate(0);
        }
        awaitTrue(() -> contents(name, "log.txt").size() == 2 && contents(name, "log.txt").getFirst().length == 0, "the truncated version");
        assertArrayEquals(v1, contents(name, "log.txt").get(1));
        Files.write(file, v2, StandardOpenOption.APPEND);
        awaitTrue(() -> Arrays.equals(v2, contents(name, "log.txt").getFirst()), "the written version");
        assertEquals(2, contents(name, "log.txt").size(), "the empty content is not kept");
    }

    /** The key's versions and delete markers, newest first. */
    private static List<VersionEntry> versions(String bucket, String key) {
        ListObjectVersionsResponse r = cluster.s3().listObjectVersions(b -> b.bucket(bucket).prefix(key));
        List<VersionEntry> out = new ArrayList<>();
        r.deleteMarkers().stream().filter(m -> m.key().equals(key)).forEach(m -> out.add(new VersionEntry(m.versionId(), true, m.lastModified())));
        r.versions().stream().filter(v -> v.key().equals(key)).forEach(v -> out.add(new VersionEntry(v.versionId(), false, v.lastModified())));
        // the SDK answers markers and versions in two lists: S3's order (newest first) is by id here, which sorts newest first
        out.sort(java.util.Comparator.comparing(VersionEntry::versionId));
        return out;
    }

    private record VersionEntry(String versionId, boolean deleteMarker, java.time.Instant lastModified) {
    }

    /** The content of each of the key's versions (delete markers left out), newest first. */
    private static List<byte[]> contents(String bucket, String key) {
        return versions(bucket, key).stream().filter(v -> !v.deleteMarker())
                .map(v -> cluster.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(v.versionId())).asByteArray()).toList();
    }

    /**
     * A file whose current version is under an object lock (here a legal hold) is neither removed, rewritten nor renamed
     * through the mount: EPERM, and the version stays as it was; once the hold is lifted, rm works.
     */
    @Test
    void aLockedFileRefusesRemovalAndRewritesInTheMount() throws Exception {
        cluster.s3().createBucket(b -> b.bucket("locked-view").objectLockEnabledForBucket(true));
        byte[] held = bytes(1_000);
        String version = cluster.s3().putObject(b -> b.bucket("locked-view").key("held.txt")
                .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON), RequestBody.fromBytes(held)).versionId();
        Thread.sleep(MountConfig.DEFAULT_CACHE_TTL_MILLIS + 200);
        Path file = cluster.root().resolve("locked-view").resolve("held.txt");
        assertArrayEquals(held, Files.readAllBytes(file));

        assertEquals("Operation not permitted", assertThrows(FileSystemException.class, () -> Files.delete(file)).getReason());
        assertThrows(IOException.class, () -> Files.write(file, bytes(10)));
        assertThrows(IOException.class, () -> Files.move(file, file.resolveSibling("moved.txt")));
        HeadObjectResponse head = cluster.s3().headObject(b -> b.bucket("locked-view").key("held.txt"));
        assertEquals(version, head.versionId());
        assertArrayEquals(held, cluster.s3().getObjectAsBytes(b -> b.bucket("locked-view").key("held.txt")).asByteArray());

        cluster.s3().putObjectLegalHold(b -> b.bucket("locked-view").key("held.txt").legalHold(h -> h.status(ObjectLockLegalHoldStatus.OFF)));
        Files.delete(file);
        assertFalse(Files.exists(file));
    }

    /** The mount holds no cluster key: it lists an encrypted object with its size but cannot read it (EACCES), and says why in its log. */
    @Test
    void anObjectEncryptedAtRestIsListedButNotReadableInTheMount() throws Exception {
        Path bucket = cluster.newBucket("sse-in-mount");
        byte[] data = bytes(300_000);
        cluster.s3().putObject(b -> b.bucket("sse-in-mount").key("secret.bin")
                .serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256), RequestBody.fromBytes(data));
        assertEquals(data.length, Files.size(bucket.resolve("secret.bin")));
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> Files.readAllBytes(bucket.resolve("secret.bin")));
        assertTrue(String.valueOf(e.getMessage()).contains("Permission denied") || e instanceof java.nio.file.AccessDeniedException,
                e::toString);
        // nor append to it: its blocks are ciphertext
        assertThrows(java.io.IOException.class, () -> Files.write(bucket.resolve("secret.bin"), new byte[10],
                java.nio.file.StandardOpenOption.APPEND));
        assertArrayEquals(data, cluster.s3().getObjectAsBytes(b -> b.bucket("sse-in-mount").key("secret.bin")).asByteArray());

        // an object a multipart upload encrypted, the same
        var mp = cluster.s3().createMultipartUpload(b -> b.bucket("sse-in-mount").key("parts.bin")
                .serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256));
        String etag = cluster.s3().uploadPart(b -> b.bucket("sse-in-mount").key("parts.bin").uploadId(mp.uploadId()).partNumber(1),
                RequestBody.fromBytes(data)).eTag();
        cluster.s3().completeMultipartUpload(b -> b.bucket("sse-in-mount").key("parts.bin").uploadId(mp.uploadId())
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
        // the mount listed this directory a moment ago: an object another client adds shows once the change log says so
        awaitTrue(() -> Files.exists(bucket.resolve("parts.bin")), "parts.bin in the mount");
        assertEquals(data.length, Files.size(bucket.resolve("parts.bin")));
        java.io.IOException denied = assertThrows(java.io.IOException.class, () -> Files.readAllBytes(bucket.resolve("parts.bin")));
        assertTrue(String.valueOf(denied.getMessage()).contains("Permission denied") || denied instanceof java.nio.file.AccessDeniedException,
                denied::toString);
    }

    @Test
    void fileWrittenInTheMountIsAnObjectWithItsXattrsAsUserMetadata() throws Exception {
        Path bucket = cluster.newBucket("mount-to-s3");
        byte[] data = bytes(6 << 20);
        Path file = Files.createDirectories(bucket.resolve("out")).resolve("report.bin");
        Files.write(file, data);
        UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        xattrs.write("color", ByteBuffer.wrap("blue".getBytes(StandardCharsets.UTF_8)));

        assertArrayEquals(data, cluster.s3().getObjectAsBytes(b -> b.bucket("mount-to-s3").key("out/report.bin")).asByteArray());
        HeadObjectResponse head = cluster.s3().headObject(b -> b.bucket("mount-to-s3").key("out/report.bin"));
        assertEquals("\"" + md5(data) + "\"", head.eTag());
        assertEquals("blue", head.metadata().get("color"));

        // rewriting the file changes the object's bytes and ETag at close
        byte[] rewritten = bytes(1_000);
        Files.write(file, rewritten);
        assertEquals("\"" + md5(rewritten) + "\"", cluster.s3().headObject(b -> b.bucket("mount-to-s3").key("out/report.bin")).eTag());
    }

    @Test
    void renamingADirectoryOfAThousandFilesMovesEveryKeyAtOnce() throws Exception {
        Path bucket = cluster.newBucket("rename-dir");
        Path dir = Files.createDirectory(bucket.resolve("before"));
        for (int i = 0; i < 1_000; i++) {
            Files.writeString(dir.resolve(String.format("f%04d", i)), "file " + i);
        }
        Files.move(dir, bucket.resolve("after"));

        List<String> keys = cluster.s3().listObjectsV2Paginator(b -> b.bucket("rename-dir")).contents().stream()
                .map(S3Object::key).toList();
        List<String> expected = new java.util.ArrayList<>(List.of("after/"));
        IntStream.range(0, 1_000).mapToObj(i -> String.format("after/f%04d", i)).forEach(expected::add);
        assertEquals(expected, keys);
        assertEquals("file 999", new String(cluster.s3().getObjectAsBytes(b -> b.bucket("rename-dir").key("after/f0999")).asByteArray(),
                StandardCharsets.UTF_8));
    }

    @Test
    void twoMountsSeeEachOthersClosedFiles() throws Exception {
        Path bucketA = cluster.newBucket("two-mounts");
        Path bucketB = cluster.mount().resolve("two-mounts");
        byte[] first = bytes(100_000);
        Files.write(bucketA.resolve("shared.bin"), first);
        assertArrayEquals(first, Files.readAllBytes(bucketB.resolve("shared.bin")));

        // close-to-open: B read the old version; after A's close, B's next open sees the new bytes
        byte[] second = bytes(200_000);
        Files.write(bucketA.resolve("shared.bin"), second);
        assertArrayEquals(second, Files.readAllBytes(bucketB.resolve("shared.bin")));

        // a new name shows in a mount that listed the directory once its cache TTL passed
        byte[] fromB = bytes(10_000);
        Files.write(bucketB.resolve("from-b.bin"), fromB);
        Thread.sleep(MountConfig.DEFAULT_CACHE_TTL_MILLIS + 200);
        assertArrayEquals(fromB, Files.readAllBytes(bucketA.resolve("from-b.bin")));
    }

    @Test
    void anotherClientsChangesShowLongBeforeTheCacheTtl() throws Exception {
        cluster.newBucket("pushed");
        // a mount trusting what it cached for a minute: only invalidations can make it see changes
        Path bucket = cluster.mountWithCacheTtl(60_000).resolve("pushed");
        cluster.put("pushed", "dir/f", bytes(5));
        assertEquals(5, Files.size(bucket.resolve("dir/f")));
        assertFalse(Files.exists(bucket.resolve("dir/g")));

        cluster.put("pushed", "dir/f", bytes(10));
        awaitTrue(() -> Files.size(bucket.resolve("dir/f")) == 10, "an overwrite over S3");
        cluster.put("pushed", "dir/g", bytes(3));
        awaitTrue(() -> Files.exists(bucket.resolve("dir/g")), "a new object over S3");
        cluster.s3().deleteObject(b -> b.bucket("pushed").key("dir/f"));
        awaitTrue(() -> !Files.exists(bucket.resolve("dir/f")), "a delete over S3");
        // and from another mount: a chmod
        Path other = cluster.root().resolve("pushed/dir/g");
        Files.setPosixFilePermissions(other, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        awaitTrue(() -> Files.getPosixFilePermissions(bucket.resolve("dir/g"))
                .equals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")), "a chmod in another mount");
    }

    @Test
    void namesInALeasedDirectoryOutliveTheTtlUntilTheLeaseIsRecalled() throws Exception {
        cluster.newBucket("kept");
        java.util.concurrent.atomic.AtomicLong lookups = new java.util.concurrent.atomic.AtomicLong();
        Path mount = cluster.mountReportingTo((request, nanos, errno) -> {
            if (request.equals("lookup")) {
                lookups.incrementAndGet();
            }
        });
        // the first change in the directory leases it to this mount
        Path dir = Files.createDirectory(mount.resolve("kept/dir"));
        for (int i = 0; i < 10; i++) {
            Files.writeString(dir.resolve("f" + i), "x" + i);
        }
        Thread.sleep(MountConfig.DEFAULT_CACHE_TTL_MILLIS + 300);
        long before = lookups.get();
        for (int i = 0; i < 10; i++) {
            assertTrue(Files.exists(dir.resolve("f" + i)));
        }
        // past the TTL only the names above the lease are looked up again (the bucket's, at most)
        assertTrue(lookups.get() - before <= 1, "names kept under the lease: " + (lookups.get() - before) + " lookups");

        // another client's change recalls the lease: the kernel forgets the names with it
        cluster.s3().deleteObject(b -> b.bucket("kept").key("dir/f3"));
        awaitTrue(() -> !Files.exists(dir.resolve("f3")), "the name deleted over S3");
        before = lookups.get();
        for (int i = 0; i < 10; i++) {
            assertEquals(i != 3, Files.exists(dir.resolve("f" + i)), "f" + i);
        }
        assertTrue(lookups.get() - before >= 9, "names looked up again after the recall: " + (lookups.get() - before));
    }

    @Test
    void withoutACacheTtlAFileIsFoundRightAfterItsCreate() throws Exception {
        // --cache-ttl-ms 0: the mount leases the directory it makes and answers creates before they commit
        cluster.newBucket("no-ttl");
        Path dir = Files.createDirectory(cluster.mountWithCacheTtl(0).resolve("no-ttl/dir"));
        for (int i = 0; i < 20; i++) {
            Path f = Files.writeString(dir.resolve("f" + i), "x" + i);
            assertTrue(Files.exists(f), "stat right after creating " + f);
            assertEquals("x" + i, Files.readString(f));
        }
        assertEquals(20, Files.list(dir).count());
    }

    @Test
    void changesAMountAnsweredBeforeTheirCommitAreWhatOthersReadAtOnce() throws Exception {
        Path bucket = cluster.newBucket("write-behind");
        Path dir = Files.createDirectory(bucket.resolve("work"));
        List<String> expected = new java.util.ArrayList<>(List.of("work/"));
        for (int i = 0; i < 300; i++) {
            Path f = Files.writeString(dir.resolve(String.format("f%03d", i)), "small file " + i);
            if (i % 3 == 0) {
                Files.delete(f);
            } else if (i % 3 == 1) {
                Files.move(f, dir.resolve(String.format("g%03d", i)));
                expected.add(String.format("work/g%03d", i));
            } else {
                expected.add(String.format("work/f%03d", i));
            }
        }
        Files.createDirectory(dir.resolve("sub"));
        Files.delete(dir.resolve("sub"));
        // the mount answered all of it before its commit; a listing over S3 right after sees every change
        long started = System.nanoTime();
        List<String> listed = cluster.s3().listObjectsV2Paginator(b -> b.bucket("write-behind")).contents().stream()
                .map(S3Object::key).toList();
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(expected.stream().sorted().toList(), listed);
        assertTrue(waitedMillis < 2_000, "the mount gave its lease back in " + waitedMillis + " ms");
        assertEquals("small file 299", new String(cluster.s3().getObjectAsBytes(b -> b.bucket("write-behind").key("work/f299"))
                .asByteArray(), StandardCharsets.UTF_8));

        // another mount reads what the first wrote a moment ago
        Path other = cluster.mount().resolve("write-behind/work");
        Files.writeString(dir.resolve("late"), "written after the listing");
        assertEquals("written after the listing", Files.readString(other.resolve("late")));
        // (a new name made by another client shows within one change poll, as without leases)
        Files.writeString(other.resolve("from-other"), "the second mount's");
        awaitTrue(() -> Files.exists(dir.resolve("from-other")), "a file the second mount created");
        assertEquals("the second mount's", Files.readString(dir.resolve("from-other")));
        cluster.put("write-behind", "work/over-s3", bytes(7));
        awaitTrue(() -> Files.exists(dir.resolve("over-s3")) && Files.exists(other.resolve("over-s3")), "an object written over S3");
        assertEquals(7, Files.size(dir.resolve("over-s3")));
        assertEquals(7, Files.size(other.resolve("over-s3")));
    }

    @Test
    void filesThatAreNotRegularFilesShowTheirTypeOverS3() throws Exception {
        Path bucket = cluster.newBucket("special");
        assertEquals(Errno.OK, Errno.ofPython("""
                import stat
                os.mkfifo(os.path.join(p[0], 'fifo'), 0o600)
                os.mknod(os.path.join(p[0], 'socket'), stat.S_IFSOCK | 0o600)
                os.mknod(os.path.join(p[0], 'disk'), stat.S_IFBLK | 0o600, os.makedev(8, 300))
                os.symlink('fifo', os.path.join(p[0], 'link'))""", bucket));
        assertEquals(Map.of("mooseng-file-type", "fifo"), head("special", "fifo").metadata());
        assertEquals(Map.of("mooseng-file-type", "socket"), head("special", "socket").metadata());
        assertEquals(Map.of("mooseng-file-type", "block-device", "mooseng-device", "8,300"), head("special", "disk").metadata());
        assertEquals(Map.of("mooseng-file-type", "symlink"), head("special", "link").metadata());
        assertEquals(0, head("special", "disk").contentLength());
        assertEquals("fifo", new String(cluster.s3().getObjectAsBytes(b -> b.bucket("special").key("link")).asByteArray(),
                StandardCharsets.UTF_8), "a symlink's object holds its target");
        Files.writeString(bucket.resolve("plain"), "regular");
        assertEquals(Map.of(), head("special", "plain").metadata());
    }

    private static HeadObjectResponse head(String bucket, String key) {
        return cluster.s3().headObject(b -> b.bucket(bucket).key(key));
    }

    @Test
    void aDirectoryOfSeveralPagesListsInFullThroughTheMount() throws Exception {
        Path bucket = cluster.newBucket("many-pages");
        // more than two of the mount's 1,024-entry pages, written over S3 by 8 writers
        List<String> keys = IntStream.range(0, 2_600).mapToObj(i -> String.format("big/k%05d", i)).toList();
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            for (java.util.concurrent.Future<?> f : writers.invokeAll(keys.stream()
                    .<java.util.concurrent.Callable<Object>>map(k -> () -> {
                        cluster.put("many-pages", k, new byte[0]);
                        return null;
                    }).toList())) {
                f.get();
            }
        } finally {
            writers.shutdownNow();
        }
        try (java.util.stream.Stream<Path> listed = Files.list(bucket.resolve("big"))) {
            assertEquals(keys.stream().map(k -> k.substring("big/".length())).toList(),
                    listed.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /**
     * S3's object t/b beside keys under t/b/: the mount shows the directory as b and the object as
     * its twin b.~object (README, "How S3 keys map to paths"), which reads, writes, renames and
     * unlinks the object; the mount itself never makes such a pair.
     */
    @Test
    void anObjectBesideADirectoryOfItsNameShowsByItsTwinName() throws Exception {
        Path bucket = cluster.newBucket("twins");
        byte[] object = bytes(3_000);
        byte[] under = bytes(100);
        cluster.put("twins", "t/b", object);
        cluster.put("twins", "t/b/c", under);
        Path dir = bucket.resolve("t");
        assertEquals(List.of("b", "b.~object"), names(dir));
        assertTrue(Files.isDirectory(dir.resolve("b")));
        assertTrue(Files.isRegularFile(dir.resolve("b.~object")));
        assertEquals(object.length, Files.size(dir.resolve("b.~object")));
        assertArrayEquals(object, Files.readAllBytes(dir.resolve("b.~object")));
        assertArrayEquals(under, Files.readAllBytes(dir.resolve("b/c")));

        // written through the twin name, the object changes over S3
        byte[] rewritten = bytes(2_000);
        Files.write(dir.resolve("b.~object"), rewritten);
        assertArrayEquals(rewritten, cluster.s3().getObjectAsBytes(b -> b.bucket("twins").key("t/b")).asByteArray());
        // a name taken by either kind is taken
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> Files.createFile(dir.resolve("b.~object")));
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> Files.createDirectory(dir.resolve("b")));
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> Files.createFile(dir.resolve("b")));

        // renamed to another name, it is an ordinary file; unlinked, the object is gone and the directory stays
        Files.move(dir.resolve("b.~object"), dir.resolve("plain"));
        assertArrayEquals(rewritten, cluster.s3().getObjectAsBytes(b -> b.bucket("twins").key("t/plain")).asByteArray());
        assertEquals(404, assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class, () -> head("twins", "t/b")).statusCode());
        cluster.put("twins", "t/b", object);
        awaitTrue(() -> Files.exists(dir.resolve("b.~object")), "an object put over S3 beside the directory");
        Files.delete(dir.resolve("b.~object"));
        assertEquals(404, assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class, () -> head("twins", "t/b")).statusCode());
        assertArrayEquals(under, cluster.s3().getObjectAsBytes(b -> b.bucket("twins").key("t/b/c")).asByteArray());
        assertEquals(List.of("b", "plain"), names(dir));

        // a file the mount knows becomes a twin when S3 puts keys under its name, and is a file again after rmdir
        cluster.put("twins", "t/e", object);
        awaitTrue(() -> Files.isRegularFile(dir.resolve("e")), "t/e put over S3");
        cluster.put("twins", "t/e/", new byte[0]);
        awaitTrue(() -> Files.isDirectory(dir.resolve("e")) && Files.isRegularFile(dir.resolve("e.~object")), "t/e/ put over S3");
        Files.delete(dir.resolve("e"));
        assertTrue(Files.isRegularFile(dir.resolve("e")));
        assertArrayEquals(object, Files.readAllBytes(dir.resolve("e")));
        // the kernel forgets the twin name just after the rmdir's reply
        awaitTrue(() -> !Files.exists(dir.resolve("e.~object")), "the twin name gone after rmdir");
    }

    private static List<String> names(Path dir) throws IOException {
        try (var listed = Files.list(dir)) {
            return listed.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Waits (up to 5 s, a twelfth of the TTL) for a condition another client's change makes true. */
    private static void awaitTrue(java.util.concurrent.Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.call()) {
            assertTrue(System.nanoTime() < deadline, what + " did not show in the other mount within 5 s");
            Thread.sleep(20);
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }
}
