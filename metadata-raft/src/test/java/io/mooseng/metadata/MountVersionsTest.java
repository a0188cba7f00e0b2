package io.mooseng.metadata;

import io.mooseng.core.metadata.PosixNamespace.InodeUpdated;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.ObjectVersion;
import io.mooseng.core.model.RenameMode;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.VersionIds;
import io.mooseng.core.model.VersionListRequest;
import io.mooseng.core.model.Versioning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.mooseng.core.error.ErrorCode.NO_SUCH_KEY;
import static io.mooseng.metadata.Fixtures.ecBlock;
import static io.mooseng.metadata.Fixtures.ecManifest;
import static io.mooseng.metadata.Fixtures.assertFails;
import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mount's changes in a bucket that keeps versions make versions as S3 writes do (unlink, rename over a file, new
 * content), and tags and re-codes reach noncurrent versions where they are kept.
 */
@Timeout(60)
class MountVersionsTest extends SingleMasterTest {
    private static final StorageClass EC = Fixtures.EC_2_1;

    private static String bucket(String name, Versioning state) {
        join(meta.createBucket(name, EC, 1));
        join(meta.setBucketPolicy(name, BucketPolicy.of(EC).withVersioning(state).withTrashRetention(0)));
        return name;
    }

    /** The key's versions, newest first, as "etag" or "marker". */
    private static List<String> history(String bucket, String key) {
        return join(meta.listObjectVersions(bucket, new VersionListRequest(key, null, null, null, 100))).versions().stream()
                .filter(v -> v.key().equals(key))
                .map(v -> v.deleteMarker() ? "marker" : v.object().etag()).toList();
    }

    @Test
    void unlinkWritesADeleteMarkerOverTheKeptFile() {
        String b = bucket("mv-unlink", Versioning.ENABLED);
        BlockRef a = ecBlock();
        ObjectInfo file = join(meta.createEntry(b, key("d/f"), ecManifest("e1", a), 0));
        assertNotNull(file.manifest().versionId(), "a file the mount creates in an enabled bucket gets a version id");
        assertTrue(join(meta.unlink(b, key("d/f"), false, 10)).isEmpty(), "nothing is freed: the file is kept");
        assertFails(NO_SUCH_KEY, meta.getObject(b, key("d/f")));
        assertEquals(List.of("marker", "e1"), history(b, "d/f"));
        assertTrue(indexed(100).contains(a.id()));
        assertTrue(join(meta.lookup(b, key("d"))).directory(), "the emptied directory stays, as unlink(2) leaves it");
        ObjectVersion kept = join(meta.getObjectVersion(b, key("d/f"), file.manifest().versionId()));
        assertEquals("e1", kept.object().etag());
    }

    @Test
    void suspendedUnlinkOfTheNullVersionFreesItUnderANullMarker() {
        String b = bucket("mv-suspended", Versioning.SUSPENDED);
        BlockRef a = ecBlock();
        join(meta.createEntry(b, key("f"), ecManifest("e1", a), 0));
        ObjectInfo freed = join(meta.unlink(b, key("f"), false, 10)).orElseThrow();
        assertEquals(List.of(a), freed.manifest().blocks());
        assertEquals(List.of("marker"), history(b, "f"));
        assertEquals(VersionIds.NULL, join(meta.getObjectVersion(b, key("f"), null)).versionId());
    }

    @Test
    void renameOverAFileKeepsTheReplacedOneAndMarksTheSourceOnlyWhenItHasHistory() {
        String b = bucket("mv-rename", Versioning.ENABLED);
        ObjectInfo target = join(meta.createEntry(b, key("doc"), ecManifest("old", ecBlock()), 0));
        join(meta.createEntry(b, key("doc.tmp"), ecManifest("new", ecBlock()), 0));
        assertTrue(join(meta.rename(b, key("doc.tmp"), key("doc"), RenameMode.REPLACE, 20)).isEmpty());
        assertEquals(List.of("new", "old"), history(b, "doc"));
        assertEquals(List.of(), history(b, "doc.tmp"), "a name without history gets no marker");
        ObjectInfo now = join(meta.getObject(b, key("doc")));
        assertNotEquals(target.manifest().versionId(), now.manifest().versionId());
        assertEquals("old", join(meta.getObjectVersion(b, key("doc"), target.manifest().versionId())).object().etag());

        // moving the file away from a name with history hides that history under a marker
        join(meta.rename(b, key("doc"), key("moved"), RenameMode.REPLACE, 30));
        assertEquals(List.of("marker", "old"), history(b, "doc"));
        assertEquals(List.of("new"), history(b, "moved"));
    }

    @Test
    void newContentIsANewVersionAndTheOldStaysWithItsBlocks() {
        String b = bucket("mv-rewrite", Versioning.ENABLED);
        BlockRef a = ecBlock();
        BlockRef c = ecBlock();
        ObjectInfo file = join(meta.createEntry(b, key("f"), ecManifest("e1", a), 0));
        InodeUpdated updated = join(meta.updateInode(b, file.inode(), InodeUpdate.keeping(ecManifest("e2", c), List.of(), 40), "f"));
        assertEquals(List.of(), updated.freed(), "the old blocks belong to the kept version");
        assertNotEquals(file.manifest().versionId(), updated.manifest().versionId());
        assertEquals(file.inode(), join(meta.getObject(b, key("f"))).inode(), "the file keeps its inode");
        assertEquals(List.of("e2", "e1"), history(b, "f"));
        assertTrue(indexed(100).containsAll(Set.of(a.id(), c.id())));
        ObjectVersion old = join(meta.getObjectVersion(b, key("f"), file.manifest().versionId()));
        assertNotEquals(file.inode(), old.object().inode(), "the old content moved to an inode of its own");
        assertEquals(List.of(a), old.object().manifest().blocks());

        // an empty file's first content replaces it in place: creat(2) and its writes make one version
        ObjectInfo empty = join(meta.createEntry(b, key("g"), new ObjectManifest(0, "empty", 5, ObjectProperties.EMPTY, EC, List.of(),
                new byte[0]), 0));
        join(meta.updateInode(b, empty.inode(), InodeUpdate.keeping(ecManifest("g1", ecBlock()), List.of(), 45), "g"));
        assertEquals(List.of("g1"), history(b, "g"));

        // attribute changes act in place
        InodeUpdated chmod = join(meta.updateInode(b, file.inode(), InodeUpdate.permissions(0600, 50), "f"));
        assertEquals(updated.manifest().versionId(), chmod.manifest().versionId());
        assertEquals(List.of("e2", "e1"), history(b, "f"));

        // content keeping blocks of the old cannot share them with a kept version: replaced in place, under a new id
        BlockRef d = ecBlock();
        InodeUpdated appended = join(meta.updateInode(b, file.inode(), InodeUpdate.keeping(ecManifest("e3", c, d), List.of(0), 60), "f"));
        assertEquals(List.of(), appended.freed());
        assertNotEquals(updated.manifest().versionId(), appended.manifest().versionId());
        assertEquals(List.of("e3", "e1"), history(b, "f"));
    }

    @Test
    void tagsAndBlocksOfANoncurrentVersionChangeWhereItIsKept() {
        String b = bucket("mv-noncurrent", Versioning.ENABLED);
        BlockRef a = ecBlock();
        ObjectInfo v1 = join(meta.putObject(b, key("k"), ecManifest("e1", a))).object();
        join(meta.putObject(b, key("k"), ecManifest("e2", ecBlock())));
        ObjectManifest tagged = v1.manifest().withAttributes(v1.mtimeMillis(), v1.manifest().properties().withTags(Map.of("t", "1")),
                v1.manifest().posix());
        join(meta.replaceManifest(b, key("k"), v1.inode(), tagged));
        ObjectVersion read = join(meta.getObjectVersion(b, key("k"), v1.manifest().versionId()));
        assertEquals(Map.of("t", "1"), read.object().manifest().properties().tags());
        assertEquals("e2", join(meta.getObject(b, key("k"))).etag(), "the current version is untouched");

        // a re-code swaps the noncurrent version's blocks: the old leave the index, the new join it
        BlockRef recoded = ecBlock();
        ObjectInfo was = join(meta.replaceManifest(b, key("k"), v1.inode(), tagged.withBlocks(EC, List.of(recoded))));
        assertEquals(List.of(a), was.manifest().blocks());
        assertTrue(indexed(100).contains(recoded.id()));
        assertFalse(indexed(100).contains(a.id()));
        ObjectInfo now = join(meta.getObjectVersion(b, key("k"), v1.manifest().versionId())).object();
        assertEquals(List.of(recoded), now.manifest().blocks());
        assertEquals(Map.of("t", "1"), now.manifest().properties().tags());
    }
}
