package io.mooseng.fuse;

import io.mooseng.fuse.kernel.Errno;
import io.mooseng.fuse.kernel.FuseException;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectManifest;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Entries by path and directories known in full, each trusted for a TTL. A directory read
 * in full answers "absent" for names it did not hold, so creating many files costs no
 * lookup per file. The mount's own changes update it at once; other clients' changes show
 * after the TTL.
 *
 * <p>An answer fetched from the masters is kept only if no change of this mount touched its
 * directory while it was on its way ({@link #version}): a lookup that raced a rename or a
 * create would otherwise cache the name's previous state for a whole TTL.
 *
 * <p>In a directory this mount leases ({@code authoritative}) nothing expires: nobody else
 * changes it, so what the mount knows is the truth, names known absent included.
 */
final class EntryCache {
    /** @param entry null: the name is known to be absent */
    private record Cached(NamespaceEntry entry, long expiresMillis) {
    }

    // sorted by path, so that a directory's subtree is one range (forgetTree)
    private final ConcurrentSkipListMap<FusePath, Cached> entries = new ConcurrentSkipListMap<>(FusePath.ORDER);
    private final ConcurrentSkipListMap<FusePath, Long> completeDirs = new ConcurrentSkipListMap<>(FusePath.ORDER);
    private final ConcurrentSkipListMap<FusePath, Long> listedDirs = new ConcurrentSkipListMap<>(FusePath.ORDER);
    /** Changes per directory (by hash stripe), so fetches can tell whether they raced one. */
    private final AtomicLongArray versions = new AtomicLongArray(64);
    private final long ttlMillis;
    private final LongSupplier clock;
    private final Predicate<FusePath> authoritative;

    /** @param authoritative whether this mount's view of a directory is the truth (it leases it) */
    EntryCache(long ttlMillis, LongSupplier clock, Predicate<FusePath> authoritative) {
        this.ttlMillis = ttlMillis;
        this.clock = clock;
        this.authoritative = authoritative;
    }

    private boolean valid(long expiresMillis, FusePath dir) {
        return expiresMillis > clock.getAsLong() || authoritative.test(dir);
    }

    /**
     * @return the cached entry, or null if unknown
     * @throws FuseException ENOENT if the name is known to be absent
     */
    NamespaceEntry find(FusePath path) {
        Cached c = entries.get(path);
        if (c != null && valid(c.expiresMillis, path.parent())) {
            if (c.entry == null) {
                throw absent(path);
            }
            return c.entry;
        }
        if (c != null) {
            // a stale entry is "ask again", never "absent": it may have outlived its directory's listing
            return null;
        }
        Long complete = completeDirs.get(path.parent());
        if (complete != null && valid(complete, path.parent())) {
            throw absent(path);
        }
        return null;
    }

    private static FuseException absent(FusePath path) {
        return new FuseException(Errno.ENOENT, "no such file or directory: ", path);
    }

    /** The version of {@code dir}'s entries: take it before asking the masters, give it to the fetched answer. */
    long version(FusePath dir) {
        return versions.get(stripe(dir));
    }

    private static int stripe(FusePath dir) {
        return Math.floorMod(dir.hashCode(), 64);
    }

    private void changed(FusePath path) {
        versions.incrementAndGet(stripe(path.parent()));
    }

    private void changedEverywhere() {
        for (int i = 0; i < versions.length(); i++) {
            versions.incrementAndGet(i);
        }
    }

    /**
     * What this mount just made of a name. Kept even without a TTL in a directory it leases:
     * the masters may not have it yet (answered before its commit), and the directory may be
     * known in full ({@link #createdEmpty}), which would answer "absent".
     */
    void put(FusePath path, NamespaceEntry entry) {
        changed(path);
        if (ttlMillis > 0 || authoritative.test(path.parent())) {
            entries.put(path, new Cached(entry, clock.getAsLong() + ttlMillis));
        }
    }

    /** An entry the masters gave (null: absent), kept if its directory had no change since {@code version}. */
    void putFetched(FusePath path, NamespaceEntry entry, long version) {
        if (ttlMillis > 0 && version(path.parent()) == version) {
            entries.put(path, new Cached(entry, clock.getAsLong() + ttlMillis));
        }
    }

    /** This mount removed the name in a directory it leases: known absent (a miss would ask masters still committing it). */
    void putAbsent(FusePath path) {
        changed(path);
        entries.put(path, new Cached(null, clock.getAsLong() + ttlMillis));
    }

    /**
     * A directory's entries changed at {@code millis}: the masters moved its mtime (explicit
     * directories), and so does the cached entry, without asking again.
     */
    void touch(FusePath dir, long millis) {
        touch(dir, millis, 0);
    }

    /**
     * As {@link #touch(FusePath, long)}, the directory now holding {@code subdirectories} more
     * directories (1: mkdir, -1: rmdir), as the masters count them. A fetch of its entry on its
     * way meanwhile is not kept: it may have counted the change already.
     */
    void touch(FusePath dir, long millis, int subdirectories) {
        if (subdirectories != 0) {
            changed(dir);
        }
        entries.computeIfPresent(dir, (p, c) -> {
            if (c.entry == null) {
                return c;
            }
            NamespaceEntry e = c.entry.withSubdirectories(subdirectories);
            ObjectManifest m = e.manifest();
            if (m != null && m.mtimeMillis() < millis) {
                e = e.with(e.name(), m.withAttributes(millis, m.properties(), m.posix() == null ? null : m.posix().changedAt(millis)));
            }
            return e == c.entry ? c : new Cached(e, c.expiresMillis);
        });
    }

    /** The name was removed by this mount. */
    void remove(FusePath path) {
        changed(path);
        entries.remove(path);
    }

    /** Nothing is known about the name (a change failed half-way, or another client may have it). */
    void forget(FusePath path) {
        changed(path);
        entries.remove(path);
        completeDirs.remove(path.parent());
    }

    /** Forgets every name of an inode (its hard links changed, or its link count). */
    void forgetInode(long inode) {
        changedEverywhere();
        entries.entrySet().removeIf(e -> {
            if (e.getValue().entry == null || e.getValue().entry.inode() != inode) {
                return false;
            }
            completeDirs.remove(e.getKey().parent());
            return true;
        });
    }

    /** Forgets everything (changes were missed). */
    void clear() {
        changedEverywhere();
        entries.clear();
        completeDirs.clear();
        listedDirs.clear();
    }

    /** Forgets everything at and under a directory (it moved). */
    void forgetTree(FusePath dir) {
        changedEverywhere();
        removeTree(entries, dir);
        removeTree(completeDirs, dir);
        removeTree(listedDirs, dir);
    }

    private static void removeTree(ConcurrentSkipListMap<FusePath, ?> map, FusePath dir) {
        if (dir.isRoot()) {
            map.clear();
            return;
        }
        map.remove(dir);
        map.subMap(dir.subtreeStart(), true, dir.subtreeEnd(), false).clear();
    }

    /** Records that {@code dir} was just listed, in full or not, by a listing that started at {@code version}. */
    void listed(FusePath dir, boolean complete, long version) {
        if (ttlMillis == 0 || version(dir) != version) {
            return;
        }
        long expires = clock.getAsLong() + ttlMillis;
        listedDirs.put(dir, expires);
        if (complete) {
            completeDirs.put(dir, expires);
        }
    }

    boolean recentlyListed(FusePath dir) {
        Long t = listedDirs.get(dir);
        return t != null && valid(t, dir);
    }

    /** This mount just made {@code dir}: it is known in full, and empty. */
    void createdEmpty(FusePath dir) {
        long expires = clock.getAsLong() + ttlMillis;
        listedDirs.put(dir, expires);
        completeDirs.put(dir, expires);
    }

    /** Whether {@code dir} is known in full (it leases it) to hold no entry. */
    boolean knownEmpty(FusePath dir) {
        Long complete = completeDirs.get(dir);
        if (complete == null || !valid(complete, dir)) {
            return false;
        }
        for (Map.Entry<FusePath, Cached> e : entries.subMap(dir.subtreeStart(), true, dir.subtreeEnd(), false).entrySet()) {
            if (e.getValue().entry != null && e.getKey().parent().equals(dir)) {
                return false;
            }
        }
        return true;
    }
}
