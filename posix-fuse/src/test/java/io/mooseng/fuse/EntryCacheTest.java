package io.mooseng.fuse;

import io.mooseng.core.model.NamespaceEntry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EntryCacheTest {
    private final EntryCache cache = new EntryCache(1_000, () -> 0L, dir -> false);
    private final FusePath target = new FusePath("b", "dir/target");

    @Test
    void anAnswerFetchedBeforeAChangeOfItsDirectoryIsNotKept() {
        long version = cache.version(target.parent());
        // this mount renames another file over the name while the lookup is on its way
        cache.forget(target);
        cache.putFetched(target, new NamespaceEntry("target", 1_000, false, null), version);
        assertNull(cache.find(target));
    }

    @Test
    void withoutATtlWhatThisMountMadeInALeasedDirectoryIsStillKnown() {
        // --cache-ttl-ms 0: a directory made and leased by this mount is known in full; a file created in it is
        // answered before the masters have it, so the cache must hold it or the next stat says ENOENT
        FusePath dir = target.parent();
        EntryCache noTtl = new EntryCache(0, () -> 5L, d -> d.equals(dir));
        noTtl.createdEmpty(dir);
        NamespaceEntry created = new NamespaceEntry("target", 7, false, null);
        noTtl.put(target, created);
        assertEquals(created, noTtl.find(target));
        // outside a leased directory nothing is kept: every lookup asks the masters
        FusePath elsewhere = new FusePath("b", "other/x");
        noTtl.put(elsewhere, created);
        assertNull(noTtl.find(elsewhere));
    }

    @Test
    void aSubdirectoryMadeHereMovesTheCachedCountAndDropsAFetchOnItsWay() {
        FusePath dir = target.parent();
        cache.put(dir, new NamespaceEntry("dir", 5, true, null, 1));
        long version = cache.version(dir.parent());
        // mkdir of dir/target, committed: the count moves without asking the masters
        cache.touch(dir, 10, 1);
        assertEquals(4, cache.find(dir).links());
        // a lookup of dir sent before may or may not have counted the new directory: not kept
        cache.putFetched(dir, new NamespaceEntry("dir", 5, true, null, 1), version);
        assertEquals(4, cache.find(dir).links());
        cache.touch(dir, 11, -1);
        assertEquals(3, cache.find(dir).links());
    }

    @Test
    void anAnswerFetchedWithoutAChangeIsKept() {
        long version = cache.version(target.parent());
        cache.forget(new FusePath("b", "elsewhere/x"));
        NamespaceEntry e = new NamespaceEntry("target", 1_000, false, null);
        cache.putFetched(target, e, version);
        assertEquals(e, cache.find(target));
    }

    @Test
    void forgettingATreeTakesItsSubtreeAndNothingBeside() {
        String[] keys = {"a/b", "a/b/c", "a/b/c/d", "a/bc", "a/b0", "a/a", "a"};
        for (String k : keys) {
            cache.put(new FusePath("b", k), new NamespaceEntry(k, 1, false, null));
        }
        cache.put(new FusePath("other", "a/b/c"), new NamespaceEntry("c", 2, false, null));
        cache.forgetTree(new FusePath("b", "a/b"));
        for (String k : keys) {
            boolean gone = k.equals("a/b") || k.startsWith("a/b/");
            assertEquals(gone, cache.find(new FusePath("b", k)) == null, k);
        }
        assertEquals(2, cache.find(new FusePath("other", "a/b/c")).inode());
        cache.forgetTree(new FusePath("b", ""));
        assertNull(cache.find(new FusePath("b", "a")));
        assertEquals(2, cache.find(new FusePath("other", "a/b/c")).inode());
    }
}
