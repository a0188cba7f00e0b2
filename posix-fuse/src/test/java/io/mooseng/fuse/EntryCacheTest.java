package io.mooseng.fuse;

import io.mooseng.core.model.NamespaceEntry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EntryCacheTest {
    private final EntryCache cache = new EntryCache(1_000, () -> 0L);
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
    void anAnswerFetchedWithoutAChangeIsKept() {
        long version = cache.version(target.parent());
        cache.forget(new FusePath("b", "elsewhere/x"));
        NamespaceEntry e = new NamespaceEntry("target", 1_000, false, null);
        cache.putFetched(target, e, version);
        assertEquals(e, cache.find(target));
    }
}
