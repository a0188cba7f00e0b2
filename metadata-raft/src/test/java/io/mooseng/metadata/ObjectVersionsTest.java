package io.mooseng.metadata;

import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectVersion;
import io.mooseng.core.model.ShardMove;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.VersionDeleted;
import io.mooseng.core.model.VersionIds;
import io.mooseng.core.model.VersionListPage;
import io.mooseng.core.model.VersionListRequest;
import io.mooseng.core.model.Versioning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.mooseng.core.error.ErrorCode.BUCKET_NOT_EMPTY;
import static io.mooseng.core.error.ErrorCode.INVALID_ARGUMENT;
import static io.mooseng.core.error.ErrorCode.NO_SUCH_KEY;
import static io.mooseng.core.error.ErrorCode.NO_SUCH_VERSION;
import static io.mooseng.metadata.Fixtures.ecBlock;
import static io.mooseng.metadata.Fixtures.ecManifest;
import static io.mooseng.metadata.Fixtures.assertFails;
import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Versioned buckets in the metadata store: versions kept out of the tree, their blocks indexed, ids ordered, listing pages. */
@Timeout(60)
class ObjectVersionsTest extends SingleMasterTest {
    private static final StorageClass EC = Fixtures.EC_2_1;

    private static String versionedBucket(String name, Versioning state, long trashRetention) {
        join(meta.createBucket(name, EC, 1));
        join(meta.setBucketPolicy(name, BucketPolicy.of(EC).withVersioning(state).withTrashRetention(trashRetention)));
        return name;
    }

    @Test
    void versionIdsSortNewestFirstAndRoundTrip() {
        String older = VersionIds.of(1L << 20);
        String newer = VersionIds.of((1L << 20) + 1);
        assertTrue(newer.compareTo(older) < 0);
        assertEquals(1L << 20, VersionIds.sequence(older).orElseThrow());
        assertTrue(older.matches("[0-9A-Z]{13}"));
        assertFalse(VersionIds.valid("not-an-id"));
        assertTrue(VersionIds.valid(VersionIds.NULL));
    }

    @Test
    void oldVersionsKeepTheirBlocksInTheIndexUntilDeletedForGood() {
        String b = versionedBucket("kept", Versioning.ENABLED, 0);
        BlockRef a = ecBlock();
        BlockRef c = ecBlock();
        ObjectInfo v1 = join(meta.putObject(b, key("k"), ecManifest("e1", a))).object();
        var put2 = join(meta.putObject(b, key("k"), ecManifest("e2", c)));
        assertTrue(put2.replaced().isEmpty(), "a versioned overwrite frees nothing");
        assertNotNull(v1.manifest().versionId());
        assertTrue(indexed(100).containsAll(Set.of(a.id(), c.id())));
        assertEquals("e2", join(meta.getObject(b, key("k"))).etag());
        assertEquals("e1", join(meta.getObjectVersion(b, key("k"), v1.manifest().versionId())).object().etag());

        // repair moves a noncurrent version's shard: its manifest follows
        join(meta.moveShards(a.id(), List.of(new ShardMove(0, "cs1", "cs9"))));
        assertEquals("cs9", join(meta.getObjectVersion(b, key("k"), v1.manifest().versionId())).object().manifest().blocks().getFirst()
                .shardNodes().getFirst());

        // deleting the current version by id frees it and makes v1 current again
        VersionDeleted gone = join(meta.deleteObjectVersion(b, key("k"), put2.object().manifest().versionId(), null));
        assertEquals(List.of(c), gone.freed().orElseThrow().manifest().blocks());
        assertFalse(indexed(100).contains(c.id()));
        assertEquals("e1", join(meta.getObject(b, key("k"))).etag());

        // a delete marker hides the key; removing it brings the object back
        VersionDeleted marker = join(meta.deleteObjectVersion(b, key("k"), null, null));
        assertTrue(marker.deleteMarker());
        assertFails(NO_SUCH_KEY, meta.getObject(b, key("k")));
        assertTrue(join(meta.getObjectVersion(b, key("k"), null)).deleteMarker());
        assertTrue(indexed(100).contains(a.id()));
        assertFails(BUCKET_NOT_EMPTY, meta.deleteBucket(b));
        join(meta.deleteObjectVersion(b, key("k"), marker.versionId(), null));
        assertEquals("e1", join(meta.getObject(b, key("k"))).etag());

        assertFails(NO_SUCH_VERSION, meta.getObjectVersion(b, key("k"), VersionIds.of(123)));
        assertFails(INVALID_ARGUMENT, meta.getObjectVersion(b, key("k"), "bogus"));
        join(meta.deleteObjectVersion(b, key("k"), v1.manifest().versionId(), null));
        assertFalse(indexed(100).contains(a.id()));
        join(meta.deleteBucket(b));
    }

    @Test
    void suspendedWritesReplaceTheNullVersionAndKeepTheOthers() {
        String b = versionedBucket("suspended", Versioning.ENABLED, 0);
        ObjectInfo v1 = join(meta.putObject(b, key("k"), ecManifest("e1", ecBlock()))).object();
        join(meta.setBucketPolicy(b, BucketPolicy.of(EC).withVersioning(Versioning.SUSPENDED).withTrashRetention(0)));
        BlockRef n1 = ecBlock();
        ObjectInfo null1 = join(meta.putObject(b, key("k"), ecManifest("n1", n1))).object();
        assertNull(null1.manifest().versionId());
        var null2 = join(meta.putObject(b, key("k"), ecManifest("n2", ecBlock())));
        assertEquals(List.of(n1), null2.replaced().orElseThrow().manifest().blocks());

        VersionDeleted marker = join(meta.deleteObjectVersion(b, key("k"), null, null));
        assertEquals(VersionIds.NULL, marker.versionId());
        assertEquals("n2", marker.freed().orElseThrow().etag(), "the null version makes way for the null delete marker");
        VersionListPage all = join(meta.listObjectVersions(b, new VersionListRequest("", null, null, null, 100)));
        assertEquals(List.of(VersionIds.NULL, v1.manifest().versionId()), all.versions().stream().map(ObjectVersion::versionId).toList());
        assertTrue(all.versions().getFirst().deleteMarker());
        assertTrue(all.versions().getFirst().latest());
    }

    @Test
    void listingPagesThroughKeysNewestFirstWithPrefixes() {
        String b = versionedBucket("listing", Versioning.ENABLED, 0);
        List<String> expected = new ArrayList<>();
        for (String k : List.of("a", "b/x", "b/y", "c")) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.addFirst(join(meta.putObject(b, key(k), ecManifest(k + i, ecBlock()))).object().manifest().versionId());
            }
            if (k.equals("c")) {
                ids.addFirst(join(meta.deleteObjectVersion(b, key(k), null, null)).versionId());
            }
            ids.forEach(id -> expected.add(k + "@" + id));
        }
        for (int pageSize : new int[] {1, 3, 7, 100}) {
            List<String> seen = new ArrayList<>();
            String keyMarker = null;
            String idMarker = null;
            while (true) {
                VersionListPage page = join(meta.listObjectVersions(b, new VersionListRequest("", null, keyMarker, idMarker, pageSize)));
                page.versions().forEach(v -> seen.add(v.key() + "@" + v.versionId()));
                if (!page.truncated()) {
                    break;
                }
                keyMarker = page.nextKeyMarker();
                idMarker = page.nextVersionIdMarker();
            }
            assertEquals(expected, seen, "page size " + pageSize);
        }
        VersionListPage rolled = join(meta.listObjectVersions(b, new VersionListRequest("", "/", null, null, 100)));
        assertEquals(List.of("b/"), rolled.commonPrefixes());
        assertEquals(9, rolled.versions().size());
        VersionListPage afterPrefix = join(meta.listObjectVersions(b, new VersionListRequest("", "/", "b/", null, 100)));
        assertEquals(List.of(), afterPrefix.commonPrefixes());
        assertEquals(5, afterPrefix.versions().size());
    }
}
