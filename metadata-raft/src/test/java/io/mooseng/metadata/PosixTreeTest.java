package io.mooseng.metadata;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.metadata.PosixNamespace.InodeUpdated;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.NamespaceChange;
import io.mooseng.core.model.NamespaceChange.Kind;
import io.mooseng.core.model.NamespaceChanges;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectSummary;
import io.mooseng.core.model.PosixAttributes;
import io.mooseng.core.model.RenameMode;
import io.mooseng.core.model.ShardMove;
import io.mooseng.core.model.StorageClass;
import io.mooseng.metadata.client.RaftMetadataService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mooseng.metadata.Fixtures.assertFails;
import static io.mooseng.metadata.Fixtures.block;
import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mount's tree operations through a real Raft group: rename, link, unlink/rmdir, exclusive create, inode updates. */
@Timeout(60)
class PosixTreeTest extends SingleMasterTest {
    private static final StorageClass ONE = StorageClass.replicated(1);
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static String bucket() {
        String name = "posix-" + BUCKETS.incrementAndGet();
        join(meta.createBucket(name, ONE, 1));
        return name;
    }

    private static ObjectManifest file(int mode) {
        return new ObjectManifest(0, "d41d8cd98f00b204e9800998ecf8427e", 10, io.mooseng.core.model.ObjectProperties.EMPTY, ONE,
                List.of(), new byte[0], false, new PosixAttributes(PosixAttributes.S_IFREG | mode, 1000, 1000, 1, 10, 0));
    }

    private static ObjectManifest dirMarker() {
        return new ObjectManifest(0, "d41d8cd98f00b204e9800998ecf8427e", 10, io.mooseng.core.model.ObjectProperties.EMPTY, ONE,
                List.of(), new byte[0], false, new PosixAttributes(PosixAttributes.S_IFDIR | 0755, 0, 0, 1, 10, 0));
    }

    private static List<String> keys(String bucket) {
        return join(meta.listObjects(bucket, new ListRequest("", null, null, 1000))).objects().stream().map(ObjectSummary::key).toList();
    }

    @Test
    void exclusiveCreateAndLookup() {
        String b = bucket();
        join(meta.createEntry(b, key("d/"), dirMarker(), 0));
        join(meta.createEntry(b, key("d/f"), file(0600), 0));
        assertFails(ErrorCode.ALREADY_EXISTS, meta.createEntry(b, key("d/f"), file(0600), 0));
        assertFails(ErrorCode.ALREADY_EXISTS, meta.createEntry(b, key("d"), file(0600), 0));
        assertFails(ErrorCode.ALREADY_EXISTS, meta.createEntry(b, key("d/"), dirMarker(), 0));
        NamespaceEntry f = join(meta.lookup(b, key("d/f")));
        assertFalse(f.directory());
        assertEquals(PosixAttributes.S_IFREG | 0600, f.posix().mode());
        assertTrue(join(meta.lookup(b, key("d"))).directory());
        assertFails(ErrorCode.NO_SUCH_KEY, meta.lookup(b, key("d/missing")));
        assertEquals(List.of("f"), join(meta.readDirectory(b, key("d"), null, 10)).stream().map(NamespaceEntry::name).toList());
    }

    @Test
    void renameMovesWholeDirectoriesAndReplacesLikeRename2() {
        String b = bucket();
        for (int i = 0; i < 50; i++) {
            join(meta.putObject(b, key("src/sub/k" + i), Fixtures.manifest(1, "e", 1)));
        }
        join(meta.rename(b, key("src"), key("dst/moved"), RenameMode.REPLACE, 20));
        assertEquals(50, keys(b).stream().filter(k -> k.startsWith("dst/moved/sub/k")).count());
        assertTrue(keys(b).stream().noneMatch(k -> k.startsWith("src")));

        // file over file replaces it, and the replaced version is handed back to free
        join(meta.putObject(b, key("x"), Fixtures.manifest(1, "x", 1)));
        join(meta.putObject(b, key("y"), new ObjectManifest(1, "y", 1, io.mooseng.core.model.ObjectProperties.EMPTY, ONE,
                List.of(block(77, 1)), null)));
        assertEquals("y", join(meta.rename(b, key("x"), key("y"), RenameMode.REPLACE, 21)).orElseThrow().etag());
        assertEquals("x", join(meta.getObject(b, key("y"))).etag());

        join(meta.createEntry(b, key("empty/"), dirMarker(), 0));
        join(meta.createEntry(b, key("full/"), dirMarker(), 0));
        join(meta.putObject(b, key("full/f"), Fixtures.manifest(1, "f", 1)));
        assertFails(ErrorCode.DIRECTORY_NOT_EMPTY, meta.rename(b, key("empty"), key("full"), RenameMode.REPLACE, 22));
        assertFails(ErrorCode.IS_A_DIRECTORY, meta.rename(b, key("y"), key("empty"), RenameMode.REPLACE, 22));
        assertFails(ErrorCode.NOT_A_DIRECTORY, meta.rename(b, key("empty"), key("y"), RenameMode.REPLACE, 22));
        assertFails(ErrorCode.INVALID_ARGUMENT, meta.rename(b, key("full"), key("full/inner"), RenameMode.REPLACE, 22));
        join(meta.rename(b, key("full"), key("empty"), RenameMode.REPLACE, 23));
        assertEquals("f", join(meta.getObject(b, key("empty/f"))).etag());
    }

    @Test
    void renameat2RefusesToReplaceOrExchangesTwoNames() {
        String b = bucket();
        join(meta.putObject(b, key("a"), Fixtures.manifest(1, "a", 1)));
        join(meta.putObject(b, key("b"), Fixtures.manifest(1, "b", 1)));
        assertFails(ErrorCode.ALREADY_EXISTS, meta.rename(b, key("a"), key("b"), RenameMode.NO_REPLACE, 30));
        assertEquals("b", join(meta.getObject(b, key("b"))).etag(), "nothing replaced");
        join(meta.rename(b, key("a"), key("c"), RenameMode.NO_REPLACE, 31));
        assertEquals("a", join(meta.getObject(b, key("c"))).etag());

        // a file and a whole directory swap places, each keeping its content
        join(meta.putObject(b, key("d/inner/f"), Fixtures.manifest(1, "f", 1)));
        assertEquals(Optional.empty(), join(meta.rename(b, key("c"), key("d"), RenameMode.EXCHANGE, 32)));
        assertEquals("a", join(meta.getObject(b, key("d"))).etag());
        assertEquals("f", join(meta.getObject(b, key("c/inner/f"))).etag());
        assertTrue(keys(b).stream().noneMatch(k -> k.startsWith("d/")), keys(b).toString());

        assertFails(ErrorCode.NO_SUCH_KEY, meta.rename(b, key("d"), key("nothing"), RenameMode.EXCHANGE, 33));
        assertFails(ErrorCode.INVALID_ARGUMENT, meta.rename(b, key("c"), key("c/inner"), RenameMode.EXCHANGE, 33));
    }

    @Test
    void anObjectBesideADirectoryOfItsNameIsShownByItsTwinName() {
        String b = bucket();
        join(meta.putObject(b, key("a/b"), Fixtures.manifest(1, "ab", 1)));
        join(meta.putObject(b, key("a/b/c"), Fixtures.manifest(1, "abc", 1)));
        join(meta.putObject(b, key("a/b-x"), Fixtures.manifest(1, "b-x", 1)));
        // the directory keeps the name; the object shows as b.~object (after b-x: listed where "b" sorts)
        assertTrue(join(meta.lookup(b, key("a/b"))).directory());
        NamespaceEntry twin = join(meta.lookup(b, key("a/b.~object")));
        assertFalse(twin.directory());
        assertEquals("ab", twin.manifest().etag());
        assertEquals(List.of("b.~object", "b-x", "b"), names(b, "a", null, 100));
        // a page ending at the twin resumes after its object, not after the twin name
        assertEquals(List.of("b-x", "b"), names(b, "a", "b.~object", 100));

        // the mount makes no twins: a name taken by either kind is taken
        assertFails(ErrorCode.ALREADY_EXISTS, meta.createEntry(b, key("a/b"), file(0600), 0));
        assertFails(ErrorCode.ALREADY_EXISTS, meta.createEntry(b, key("a/b.~object"), file(0600), 0));
        assertFails(ErrorCode.ALREADY_EXISTS, meta.createEntry(b, key("a/b-x/"), dirMarker(), 0));
        assertFails(ErrorCode.NOT_A_DIRECTORY, meta.createEntry(b, key("a/b-x/y"), file(0600), 0));
        // a file exchanged with the directory would land beside the twin object of its new name
        assertFails(ErrorCode.ALREADY_EXISTS, meta.rename(b, key("a/b-x"), key("a/b"), RenameMode.EXCHANGE, 39));
        assertEquals("b-x", join(meta.getObject(b, key("a/b-x"))).etag(), "the refused exchange changed nothing");

        // rename through the twin name: the object becomes an ordinary file
        join(meta.rename(b, key("a/b.~object"), key("a/plain"), RenameMode.REPLACE, 40));
        assertEquals("ab", join(meta.getObject(b, key("a/plain"))).etag());
        assertFails(ErrorCode.NO_SUCH_KEY, meta.getObject(b, key("a/b")));
        assertFails(ErrorCode.NO_SUCH_KEY, meta.lookup(b, key("a/b.~object")));
        // and back: renaming onto the twin name is not possible without a twin, it is a plain name then
        join(meta.putObject(b, key("a/b"), Fixtures.manifest(1, "ab2", 1)));
        join(meta.rename(b, key("a/plain"), key("a/b.~object"), RenameMode.REPLACE, 41));
        assertEquals("ab", join(meta.getObject(b, key("a/b"))).etag(), "a file moved onto the twin name replaces the object");

        // unlink through the twin name removes the object only; rmdir of the directory leaves the object at its own name
        join(meta.unlink(b, key("a/b.~object"), false, 42));
        assertFails(ErrorCode.NO_SUCH_KEY, meta.getObject(b, key("a/b")));
        assertEquals("abc", join(meta.getObject(b, key("a/b/c"))).etag());
        join(meta.putObject(b, key("a/b"), Fixtures.manifest(1, "ab3", 1)));
        join(meta.unlink(b, key("a/b/c"), false, 43));
        join(meta.unlink(b, key("a/b/"), true, 44));
        assertEquals("ab3", join(meta.lookup(b, key("a/b"))).manifest().etag());
        assertEquals(List.of("b", "b-x"), names(b, "a", null, 100));

        // a real entry of the twin name wins: the twin is not shown
        join(meta.putObject(b, key("a/b/c"), Fixtures.manifest(1, "abc", 1)));
        join(meta.putObject(b, key("a/b.~object"), Fixtures.manifest(1, "real", 1)));
        assertEquals("real", join(meta.lookup(b, key("a/b.~object"))).manifest().etag());
        assertEquals(List.of("b-x", "b.~object", "b"), names(b, "a", null, 100));
    }

    private static List<String> names(String bucket, String dir, String after, int limit) {
        return join(meta.readDirectory(bucket, key(dir), after, limit)).stream().map(NamespaceEntry::name).toList();
    }

    @Test
    void emptiedDirectoriesStayUntilRmdir() {
        String b = bucket();
        join(meta.putObject(b, key("a/b/c"), Fixtures.manifest(1, "c", 1)));
        join(meta.unlink(b, key("a/b/c"), false, 5));
        assertTrue(join(meta.lookup(b, key("a/b"))).directory());
        assertEquals(List.of("a/b/"), keys(b));
        assertFails(ErrorCode.DIRECTORY_NOT_EMPTY, meta.unlink(b, key("a/"), true, 6));
        assertFails(ErrorCode.IS_A_DIRECTORY, meta.unlink(b, key("a/b"), false, 6));
        join(meta.unlink(b, key("a/b/"), true, 6));
        join(meta.putObject(b, key("x"), Fixtures.manifest(1, "x", 1)));
        assertFails(ErrorCode.NOT_A_DIRECTORY, meta.unlink(b, key("x/"), true, 7));
    }

    /** stat(2)'s link count of a directory (null: the bucket's root): 2 + the directories it holds, as ext4 counts. */
    private static int links(String bucket, String dir) {
        NamespaceEntry e = join(meta.lookup(bucket, dir == null ? null : key(dir)));
        assertTrue(e.directory(), dir);
        return e.links();
    }

    @Test
    void mkdirAndRmdirMoveTheParentsLinkCount() {
        String b = bucket();
        assertEquals(2, links(b, null));
        join(meta.createEntry(b, key("d/"), dirMarker(), 0));
        join(meta.createEntry(b, key("d/e/"), dirMarker(), 0));
        join(meta.createEntry(b, key("d/f"), file(0644), 0));
        assertEquals(3, links(b, null));
        assertEquals(3, links(b, "d"), "a file is no link of its directory");
        assertEquals(2, links(b, "d/e"));
        // pages carry the counts too (READDIRPLUS): e/ then the file f
        assertEquals(List.of(2, 1), join(meta.readDirectory(b, key("d"), null, 10)).stream().map(NamespaceEntry::links).toList());
        assertEquals(List.of(3), join(meta.readDirectory(b, null, null, 10)).stream().map(NamespaceEntry::links).toList());
        join(meta.unlink(b, key("d/e/"), true, 5));
        assertEquals(2, links(b, "d"));
        join(meta.unlink(b, key("d/f"), false, 5));
        join(meta.unlink(b, key("d/"), true, 6));
        assertEquals(2, links(b, null));
    }

    @Test
    void renameMovesOneLinkFromTheOldParentToTheNewOne() {
        String b = bucket();
        join(meta.createEntry(b, key("a/"), dirMarker(), 0));
        join(meta.createEntry(b, key("a/x/"), dirMarker(), 0));
        join(meta.createEntry(b, key("b/"), dirMarker(), 0));
        assertEquals(List.of(4, 3, 2), List.of(links(b, null), links(b, "a"), links(b, "b")));
        join(meta.rename(b, key("a/x"), key("b/x"), RenameMode.REPLACE, 10));
        assertEquals(List.of(2, 3), List.of(links(b, "a"), links(b, "b")));
        // within one directory: nothing moves
        join(meta.rename(b, key("b/x"), key("b/y"), RenameMode.REPLACE, 11));
        assertEquals(3, links(b, "b"));
        // over an empty directory: the replaced one's link goes
        join(meta.createEntry(b, key("b/z/"), dirMarker(), 0));
        assertEquals(4, links(b, "b"));
        join(meta.rename(b, key("b/y"), key("b/z"), RenameMode.REPLACE, 12));
        assertEquals(3, links(b, "b"));
        join(meta.createEntry(b, key("a/empty/"), dirMarker(), 0));
        join(meta.rename(b, key("b/z"), key("a/empty"), RenameMode.REPLACE, 13));
        assertEquals(List.of(3, 2), List.of(links(b, "a"), links(b, "b")));
        // into directories the rename makes (implied by the new key)
        join(meta.rename(b, key("a/empty"), key("c/d/moved"), RenameMode.REPLACE, 14));
        assertEquals(List.of(5, 2, 3, 3, 2), List.of(links(b, null), links(b, "a"), links(b, "c"), links(b, "c/d"), links(b, "c/d/moved")));
        // a file moves no link
        join(meta.createEntry(b, key("a/f"), file(0644), 0));
        join(meta.rename(b, key("a/f"), key("b/f"), RenameMode.REPLACE, 15));
        assertEquals(List.of(2, 2), List.of(links(b, "a"), links(b, "b")));
    }

    @Test
    void renameExchangeSwapsLinksBetweenParents() {
        String b = bucket();
        join(meta.createEntry(b, key("p/"), dirMarker(), 0));
        join(meta.createEntry(b, key("p/sub/"), dirMarker(), 0));
        join(meta.createEntry(b, key("p/sub/inner/"), dirMarker(), 0));
        join(meta.createEntry(b, key("q/"), dirMarker(), 0));
        join(meta.createEntry(b, key("q/file"), file(0644), 0));
        // a directory and a file: the directory's link goes with it
        join(meta.rename(b, key("p/sub"), key("q/file"), RenameMode.EXCHANGE, 20));
        assertEquals(List.of(2, 3, 3), List.of(links(b, "p"), links(b, "q"), links(b, "q/file")));
        // two directories: each parent keeps one
        join(meta.createEntry(b, key("p/other/"), dirMarker(), 0));
        join(meta.rename(b, key("p/other"), key("q/file"), RenameMode.EXCHANGE, 21));
        assertEquals(List.of(3, 3, 3, 2), List.of(links(b, "p"), links(b, "q"), links(b, "p/other"), links(b, "q/file")));
        // two directories of one parent
        join(meta.createEntry(b, key("p/third/"), dirMarker(), 0));
        join(meta.rename(b, key("p/other"), key("p/third"), RenameMode.EXCHANGE, 23));
        assertEquals(List.of(4, 2, 3), List.of(links(b, "p"), links(b, "p/other"), links(b, "p/third")));
    }

    @Test
    void keysMadeOverS3CountTheDirectoriesTheyImply() {
        String b = bucket();
        join(meta.putObject(b, key("s/a/b/c"), Fixtures.manifest(1, "c", 1)));
        join(meta.putObject(b, key("s/a/b2/c"), Fixtures.manifest(1, "c", 1)));
        assertEquals(List.of(3, 3, 4, 2), List.of(links(b, null), links(b, "s"), links(b, "s/a"), links(b, "s/a/b")));
        // a marker on a directory the keys made: no second link
        join(meta.putObject(b, key("s/a/"), Fixtures.manifest(0, "m", 1)));
        assertEquals(List.of(3, 4), List.of(links(b, "s"), links(b, "s/a")));
        // the marker goes, the directory stays for its children
        join(meta.deleteObject(b, key("s/a/")));
        assertEquals(List.of(3, 4), List.of(links(b, "s"), links(b, "s/a")));
        // the last key under a directory prunes it, and its link
        join(meta.deleteObject(b, key("s/a/b2/c")));
        assertEquals(3, links(b, "s/a"));
        join(meta.deleteObject(b, key("s/a/b/c")));
        assertEquals(2, links(b, null));
        assertFails(ErrorCode.NO_SUCH_KEY, meta.lookup(b, key("s")));

        // a restored object brings back the directories above it
        join(meta.putObject(b, key("t/u/v"), Fixtures.manifest(1, "v", 1)));
        long inode = join(meta.getObject(b, key("t/u/v"))).inode();
        join(meta.deleteObject(b, key("t/u/v")));
        assertEquals(2, links(b, null));
        join(meta.restoreTrash(b, inode));
        assertEquals(List.of(3, 3, 2), List.of(links(b, null), links(b, "t"), links(b, "t/u")));
    }

    @Test
    void hardLinksShareOneInodeAndCountNames() {
        String b = bucket();
        join(meta.createEntry(b, key("orig"), file(0644), 0));
        NamespaceEntry linked = join(meta.link(b, key("orig"), key("dir/alias"), 20));
        assertEquals(2, linked.posix().nlink());
        NamespaceEntry orig = join(meta.lookup(b, key("orig")));
        assertEquals(orig.inode(), linked.inode());

        ObjectManifest content = new ObjectManifest(5, "c5", 30, io.mooseng.core.model.ObjectProperties.EMPTY, ONE, List.of(),
                "hello".getBytes());
        join(meta.updateInode(b, orig.inode(), InodeUpdate.content(content, 31)));
        assertEquals("c5", join(meta.getObject(b, key("dir/alias"))).etag());

        join(meta.unlink(b, key("orig"), false, 32));
        NamespaceEntry left = join(meta.lookup(b, key("dir/alias")));
        assertEquals(1, left.posix().nlink());
        assertEquals(5, left.size());
        assertFails(ErrorCode.ALREADY_EXISTS, meta.link(b, key("dir/alias"), key("dir/alias"), 20));
    }

    @Test
    void keptBlocksStayOnlyTheOthersAreFreedAndTheWriteFailsIfTheyWereReplaced() {
        String b = bucket();
        long inode = join(meta.createEntry(b, key("log"), file(0644), 0)).inode();
        BlockRef first = block(501, 100);
        BlockRef last = block(502, 40);
        join(meta.updateInode(b, inode, InodeUpdate.content(withBlocks(140, "v1", first, last), 50)));
        // a repair moves a shard of the first block after the appender read the manifest
        join(meta.moveShards(first.id(), List.of(new ShardMove(0, "cs1", "cs5"))));

        BlockRef rewritten = block(503, 100);
        InodeUpdated appended = join(meta.updateInode(b, inode,
                InodeUpdate.keeping(withBlocks(200, "v2-2", first, rewritten), List.of(0), 51)));
        assertEquals(List.of(last), appended.freed(), "only the replaced last block is freed");
        List<BlockRef> now = join(meta.lookup(b, key("log"))).manifest().blocks();
        assertEquals(List.of(first.id(), rewritten.id()), now.stream().map(BlockRef::id).toList());
        assertEquals(List.of("cs5"), now.get(0).shardNodes(), "the kept block as recorded, not as the writer saw it");
        assertEquals(200, join(meta.getObject(b, key("log"))).manifest().size());

        // another client replaced the content: an append over the old first block must not commit
        join(meta.updateInode(b, inode, InodeUpdate.content(withBlocks(10, "v3", block(504, 10)), 52)));
        assertFails(ErrorCode.CONCURRENT_CHANGE, meta.updateInode(b, inode,
                InodeUpdate.keeping(withBlocks(300, "v4-2", first, block(505, 200)), List.of(0), 53)));
        assertEquals("v3", join(meta.getObject(b, key("log"))).etag());

        // a write into the middle block of three keeps the blocks on both sides
        BlockRef a = block(511, 100);
        BlockRef m = block(512, 100);
        BlockRef z = block(513, 100);
        join(meta.updateInode(b, inode, InodeUpdate.content(withBlocks(300, "v5", a, m, z), 54)));
        BlockRef m2 = block(514, 100);
        InodeUpdated patched = join(meta.updateInode(b, inode, InodeUpdate.keeping(withBlocks(300, "v6-3", a, m2, z), List.of(0, 2), 55)));
        assertEquals(List.of(m), patched.freed());
        assertEquals(List.of(a.id(), m2.id(), z.id()),
                join(meta.lookup(b, key("log"))).manifest().blocks().stream().map(BlockRef::id).toList());
    }

    private static ObjectManifest withBlocks(long size, String etag, BlockRef... blocks) {
        return new ObjectManifest(size, etag, 50, io.mooseng.core.model.ObjectProperties.EMPTY, ONE, List.of(blocks), null);
    }

    @Test
    void inodeUpdatesMergeFieldsAndKeepContent() {
        String b = bucket();
        long inode = join(meta.createEntry(b, key("f"), file(0644), 0)).inode();
        join(meta.updateInode(b, inode, InodeUpdate.permissions(0600, 40)));
        join(meta.updateInode(b, inode, InodeUpdate.owner(-1, 7, 41)));
        join(meta.updateInode(b, inode, InodeUpdate.userMetadata("color", "blue", 42)));
        ObjectManifest m = join(meta.updateInode(b, inode, InodeUpdate.times(12345L, 999L, 43))).manifest();
        assertEquals(PosixAttributes.S_IFREG | 0600, m.posix().mode());
        assertEquals(1000, m.posix().uid());
        assertEquals(7, m.posix().gid());
        assertEquals(Map.of("color", "blue"), m.properties().userMetadata());
        assertEquals(12345, m.mtimeMillis());
        assertEquals(43, m.posix().ctimeMillis());
        assertEquals(999, m.posix().atimeMillis());
        m = join(meta.updateInode(b, inode, InodeUpdate.userMetadata("color", null, 44))).manifest();
        assertTrue(m.properties().userMetadata().isEmpty());

        // an implicit directory becomes explicit when it gets attributes
        join(meta.putObject(b, key("implied/child"), Fixtures.manifest(1, "c", 1)));
        NamespaceEntry implied = join(meta.lookup(b, key("implied")));
        assertNull(implied.manifest());
        join(meta.updateInode(b, implied.inode(), InodeUpdate.permissions(0700, 45)));
        assertEquals(PosixAttributes.S_IFDIR | 0700, join(meta.lookup(b, key("implied"))).posix().mode());
        assertFails(ErrorCode.NO_SUCH_KEY, meta.updateInode(b, 999_999_999L, InodeUpdate.permissions(0600, 46)));
    }

    @Test
    void theLeaderTellsCachingClientsWhatChanged() {
        String b = bucket();
        // another client (a mount elsewhere) follows the changes; it starts where the log is
        RaftMetadataService watcher = group.cluster().client();
        NamespaceChanges start = join(watcher.changesSince(-1, 100_000));
        ObjectInfo created = join(meta.createEntry(b, key("d/f"), file(0644), 0));
        join(meta.rename(b, key("d/f"), key("d/g"), RenameMode.REPLACE, 20));
        join(meta.updateInode(b, created.inode(), InodeUpdate.permissions(0600, 30)));
        NamespaceChanges seen = join(watcher.changesSince(start.last(), 100));
        assertFalse(seen.missed(start.last()));
        assertEquals(List.of(
                        new NamespaceChange(0, Kind.NAME, b, "d/f", 0),
                        new NamespaceChange(0, Kind.TREE, b, "d/f", 0),
                        new NamespaceChange(0, Kind.TREE, b, "d/g", 0),
                        new NamespaceChange(0, Kind.INODE, b, null, created.inode())),
                seen.changes().stream().map(c -> new NamespaceChange(0, c.kind(), c.bucket(), c.key(), c.inode())).toList());
        assertTrue(seen.last() >= seen.changes().getLast().index());
        assertEquals(List.of(), join(watcher.changesSince(seen.last(), 100)).changes());
        // the client that made them is not told its own changes
        assertEquals(List.of(), join(meta.changesSince(start.last(), 100)).changes());
        watcher.close();
    }
}
