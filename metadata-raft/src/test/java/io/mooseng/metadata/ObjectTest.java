package io.mooseng.metadata;

import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.ListPage;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.MultipartUpload;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.ObjectSummary;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.WriteCondition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static io.mooseng.core.error.ErrorCode.CONCURRENT_CHANGE;
import static io.mooseng.core.error.ErrorCode.NO_SUCH_BUCKET;
import static io.mooseng.core.error.ErrorCode.NO_SUCH_KEY;
import static io.mooseng.metadata.Fixtures.assertFails;
import static io.mooseng.metadata.Fixtures.inline;
import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static io.mooseng.metadata.Fixtures.manifest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class ObjectTest extends SingleMasterTest {
    private static String bucket(String name) {
        join(meta.createBucket(name, StorageClass.EC_4_2, 1));
        return name;
    }

    private static List<String> keys(String bucket) {
        ListPage page = join(meta.listObjects(bucket, new ListRequest("", null, null, 1000)));
        return page.objects().stream().map(ObjectSummary::key).toList();
    }

    @Test
    void putGetReplaceDelete() {
        String b = bucket("objects");
        assertEquals(Optional.empty(), join(meta.putObject(b, key("docs/a.txt"), manifest(10, "v1", 100))).replaced());
        ObjectInfo v1 = join(meta.getObject(b, key("docs/a.txt")));
        assertEquals("docs/a.txt", v1.key());
        assertEquals(manifest(10, "v1", 100).etag(), v1.etag());
        assertEquals(10, v1.size());
        assertEquals(Map.of("v", "v1"), v1.manifest().properties().userMetadata());

        Optional<ObjectInfo> replaced = join(meta.putObject(b, key("docs/a.txt"), manifest(20, "v2", 200))).replaced();
        assertEquals(v1.inode(), replaced.orElseThrow().inode());
        assertEquals("v1", replaced.get().etag());
        ObjectInfo v2 = join(meta.getObject(b, key("docs/a.txt")));
        assertEquals("v2", v2.etag());
        assertNotEquals(v1.inode(), v2.inode());

        // into the trash (the default): nothing to free yet
        assertEquals(Optional.empty(), join(meta.deleteObject(b, key("docs/a.txt"))));
        assertEquals(List.of(v2.inode()), join(meta.listTrash(b)).stream().map(io.mooseng.core.model.TrashEntry::inode).toList());
        assertFails(NO_SUCH_KEY, meta.getObject(b, key("docs/a.txt")));
        assertEquals(Optional.empty(), join(meta.deleteObject(b, key("docs/a.txt"))));
        assertEquals(Optional.empty(), join(meta.deleteObject(b, key("never/was"))));
        assertFails(NO_SUCH_BUCKET, meta.getObject("no-bucket", key("x")));
        assertFails(NO_SUCH_BUCKET, meta.deleteObject("no-bucket", key("x")));
        // a directory is not an object
        join(meta.putObject(b, key("d1/d2/f"), manifest(1, "f", 1)));
        assertFails(NO_SUCH_KEY, meta.getObject(b, key("d1")));
        assertFails(NO_SUCH_KEY, meta.getObject(b, key("d1/d2/")));
        assertEquals(Optional.empty(), join(meta.deleteObject(b, key("d1/d2"))));
    }

    @Test
    void inlineData() {
        String b = bucket("inline");
        byte[] data = {1, 2, 3};
        join(meta.putObject(b, key("tiny"), inline(data, "t")));
        assertArrayEquals(data, join(meta.getObject(b, key("tiny"))).manifest().inlineData());
    }

    @Test
    void anObjectAndADirectoryOfOneNameCoexist() {
        String b = bucket("twins");
        // object first, then keys under it as a directory; and the reverse order
        join(meta.putObject(b, key("a/b"), manifest(1, "ab", 1)));
        join(meta.putObject(b, key("a/b/c"), manifest(1, "abc", 1)));
        join(meta.putObject(b, key("a/b/"), manifest(0, "marker", 1)));
        join(meta.putObject(b, key("e/"), manifest(0, "e-marker", 1)));
        join(meta.putObject(b, key("e"), manifest(1, "e", 1)));
        join(meta.putObject(b, key("a"), manifest(1, "a", 1)));
        assertEquals(List.of("a", "a/b", "a/b/", "a/b/c", "e", "e/"), keys(b));
        assertEquals("ab", join(meta.getObject(b, key("a/b"))).etag());
        assertEquals("marker", join(meta.getObject(b, key("a/b/"))).etag());

        // with delimiter '/' and prefix "a/": the key a/b, then the prefix a/b/
        ListPage page = join(meta.listObjects(b, new ListRequest("a/", "/", null, 1000)));
        assertEquals(List.of("a/b"), page.objects().stream().map(ObjectSummary::key).toList());
        assertEquals(List.of("a/b/"), page.commonPrefixes());
        // one key a page: the pages continue across the pair
        List<String> paged = new ArrayList<>();
        String after = null;
        do {
            page = join(meta.listObjects(b, new ListRequest("a", "/", after, 1)));
            page.objects().forEach(o -> paged.add(o.key()));
            paged.addAll(page.commonPrefixes());
            after = page.nextStartAfter();
        } while (page.truncated());
        assertEquals(List.of("a", "a/"), paged);
        assertEquals(List.of("a/b/", "a/b/c"), join(meta.listObjects(b, new ListRequest("", null, "a/b", 1000))).objects().stream()
                .map(ObjectSummary::key).filter(k -> k.startsWith("a/")).toList());

        // deleting either side leaves the other
        join(meta.deleteObject(b, key("a/b/")));
        join(meta.deleteObject(b, key("a/b/c")));
        assertEquals(List.of("a", "a/b", "e", "e/"), keys(b));
        join(meta.putObject(b, key("a/b/c"), manifest(1, "abc", 1)));
        join(meta.deleteObject(b, key("a/b")));
        assertEquals(List.of("a", "a/b/c", "e", "e/"), keys(b));
        assertFails(NO_SUCH_KEY, meta.getObject(b, key("a/b")));
        join(meta.deleteObject(b, key("e")));
        assertEquals(List.of("a", "a/b/c", "e/"), keys(b));
    }

    @Test
    void implicitParentsArePruned() {
        String b = bucket("prune");
        join(meta.putObject(b, key("x/y/z"), manifest(1, "z", 1)));
        join(meta.putObject(b, key("x/w"), manifest(1, "w", 1)));
        join(meta.deleteObject(b, key("x/y/z")));
        assertEquals(List.of("x/w"), keys(b));
        // "x/y" is gone, so a file may take its name
        join(meta.putObject(b, key("x/y"), manifest(1, "y", 1)));
        join(meta.deleteObject(b, key("x/y")));
        join(meta.deleteObject(b, key("x/w")));
        assertEquals(List.of(), keys(b));
        join(meta.putObject(b, key("x"), manifest(1, "x", 1)));
        join(meta.deleteObject(b, key("x")));
        join(meta.deleteBucket(b));
    }

    @Test
    void explicitDirectoryMarkers() {
        String b = bucket("markers");
        assertEquals(Optional.empty(), join(meta.putObject(b, key("m/"), manifest(0, "d41d8cd98f00b204e9800998ecf8427e", 5))).replaced());
        ObjectInfo marker = join(meta.getObject(b, key("m/")));
        assertEquals(0, marker.size());
        assertFails(NO_SUCH_KEY, meta.getObject(b, key("m")));
        ListPage page = join(meta.listObjects(b, new ListRequest("", "/", null, 10)));
        assertEquals(List.of("m/"), page.commonPrefixes());
        page = join(meta.listObjects(b, new ListRequest("m/", "/", null, 10)));
        assertEquals(List.of(new ObjectSummary("m/", 0, "d41d8cd98f00b204e9800998ecf8427e", 5, Fixtures.ONE_COPY)), page.objects());

        // putting the marker again replaces it
        assertEquals(marker.inode(), join(meta.putObject(b, key("m/"), manifest(0, "m2", 6))).replaced().orElseThrow().inode());
        join(meta.putObject(b, key("m/n"), manifest(1, "n", 1)));
        assertEquals(List.of("m/", "m/n"), keys(b));
        // deleting the marker of a non-empty directory only makes it implicit
        assertEquals("m2", join(meta.deleteObject(b, key("m/"))).orElseThrow().etag());
        assertEquals(List.of("m/n"), keys(b));
        assertEquals(Optional.empty(), join(meta.deleteObject(b, key("m/"))));
        join(meta.deleteObject(b, key("m/n")));
        assertEquals(List.of(), keys(b));

        // an implicit directory becomes explicit, and stays after its children go
        join(meta.putObject(b, key("p/q/r"), manifest(1, "r", 1)));
        assertEquals(Optional.empty(), join(meta.putObject(b, key("p/q/"), manifest(0, "pq", 1))).replaced());
        join(meta.deleteObject(b, key("p/q/r")));
        assertEquals(List.of("p/q/"), keys(b));
        join(meta.deleteObject(b, key("p/q/")));
        assertEquals(List.of(), keys(b));
        join(meta.deleteBucket(b));
    }

    @Test
    void listingWithDelimiterAndPages() {
        String b = bucket("listing");
        for (String k : List.of("a.txt", "a/b", "a/c/d", "a0", "b-1", "b-2", "c")) {
            join(meta.putObject(b, key(k), manifest(1, k, 1)));
        }
        assertEquals(List.of("a.txt", "a/b", "a/c/d", "a0", "b-1", "b-2", "c"), keys(b));
        ListPage p = join(meta.listObjects(b, new ListRequest("", "/", null, 1000)));
        assertEquals(List.of("a.txt", "a0", "b-1", "b-2", "c"), p.objects().stream().map(ObjectSummary::key).toList());
        assertEquals(List.of("a/"), p.commonPrefixes());
        p = join(meta.listObjects(b, new ListRequest("", "-", null, 1000)));
        assertEquals(List.of("b-"), p.commonPrefixes());
        p = join(meta.listObjects(b, new ListRequest("a", "/", null, 2)));
        assertEquals(List.of("a.txt"), p.objects().stream().map(ObjectSummary::key).toList());
        assertEquals(List.of("a/"), p.commonPrefixes());
        assertTrue(p.truncated());
        assertEquals("a/", p.nextStartAfter());
        p = join(meta.listObjects(b, new ListRequest("a", "/", "a/", 2)));
        assertEquals(List.of("a0"), p.objects().stream().map(ObjectSummary::key).toList());
        assertEquals(false, p.truncated());
        p = join(meta.listObjects(b, new ListRequest("", null, null, 0)));
        assertEquals(new ListPage(List.of(), List.of(), false, null), p);
    }

    @Test
    void chunkservers() {
        ChunkserverInfo cs2 = new ChunkserverInfo("cs2", "127.0.0.1:7002", Map.of("rack", "r2"), 1000, 10);
        ChunkserverInfo cs1 = new ChunkserverInfo("cs1", "127.0.0.1:7001", Map.of("zone", "z1", "rack", "r1"), 2000, 20);
        join(meta.registerChunkserver(cs2));
        join(meta.registerChunkserver(cs1));
        assertEquals(List.of(cs1, cs2), join(meta.listChunkservers()));
        ChunkserverInfo cs1b = new ChunkserverInfo("cs1", "127.0.0.1:7001", Map.of(), 2000, 30);
        join(meta.registerChunkserver(cs1b));
        assertEquals(List.of(cs1b, cs2), join(meta.listChunkservers()));
    }

    /** Write conditions are checked where the write applies: of racing creates exactly one succeeds. */
    @Test
    void ofRacingConditionalCreatesOneWins() {
        bucket("cond-race");
        List<CompletableFuture<?>> creates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            creates.add(meta.putObject("cond-race", key("race"), manifest(1, "v" + i, 9100 + i), WriteCondition.IF_ABSENT));
        }
        int won = 0;
        for (CompletableFuture<?> f : creates) {
            if (f.handle((v, e) -> e == null).join()) {
                won++;
            } else {
                assertFails(CONCURRENT_CHANGE, f);
            }
        }
        assertEquals(1, won);
    }

    @Test
    void ifMatchNeedsTheObjectWithThatETag() {
        bucket("conditional");
        assertFails(NO_SUCH_KEY, meta.putObject("conditional", key("m"), manifest(1, "a", 9201), WriteCondition.ifMatch("*")));
        ObjectInfo first = join(meta.putObject("conditional", key("m"), manifest(1, "a", 9201))).object();
        assertFails(CONCURRENT_CHANGE, meta.putObject("conditional", key("m"), manifest(1, "b", 9202), WriteCondition.ifMatch("other")));
        ObjectInfo second = join(meta.putObject("conditional", key("m"), manifest(1, "b", 9202), WriteCondition.ifMatch(first.etag()))).object();
        assertFails(CONCURRENT_CHANGE, meta.deleteObject("conditional", key("m"), WriteCondition.ifMatch(first.etag())));
        join(meta.deleteObject("conditional", key("m"), WriteCondition.ifMatch(second.etag())));
        assertFails(NO_SUCH_KEY, meta.deleteObject("conditional", key("m"), WriteCondition.ifMatch(second.etag())));
    }

    @Test
    void aCompleteIfAbsentFailsOverAnObjectAndKeepsTheUpload() {
        bucket("cond-mp");
        MultipartUpload upload = join(meta.createMultipartUpload("cond-mp", key("mp"), ObjectProperties.EMPTY, StorageClass.EC_4_2, 1));
        PartInfo part = new PartInfo(1, 3, "p1", 9301, manifest(3, "p1", 9301));
        join(meta.putPart("cond-mp", key("mp"), upload.uploadId(), part));
        join(meta.putObject("cond-mp", key("mp"), manifest(1, "there", 9302)));
        List<CompletedPart> parts = List.of(new CompletedPart(1, part.etag()));
        assertFails(CONCURRENT_CHANGE, meta.completeMultipartUpload("cond-mp", key("mp"), upload.uploadId(), parts, 0, 2, WriteCondition.IF_ABSENT));
        join(meta.deleteObject("cond-mp", key("mp")));
        assertEquals(3, join(meta.completeMultipartUpload("cond-mp", key("mp"), upload.uploadId(), parts, 0, 2, WriteCondition.IF_ABSENT))
                .object().size());
    }
}
