package io.mooseng.fuse;

import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectManifest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Entries by path and directories known in full, each trusted for a TTL. A directory read
 * in full answers "absent" for names it did not hold, so creating many files costs no
 * lookup per file. The mount's own changes update it at once; other clients' changes show
 * after the TTL.
 */
final class EntryCache {
    private record Cached(NamespaceEntry entry, long expiresMillis) {
    }

    private final ConcurrentHashMap<FusePath, Cached> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<FusePath, Long> completeDirs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<FusePath, Long> listedDirs = new ConcurrentHashMap<>();
    private final long ttlMillis;
    private final LongSupplier clock;

    EntryCache(long ttlMillis, LongSupplier clock) {
        this.ttlMillis = ttlMillis;
        this.clock = clock;
    }

    /**
     * @return the cached entry, or null if unknown
     * @throws FuseError ENOENT if the name is known to be absent
     */
    NamespaceEntry find(FusePath path) {
        long now = clock.getAsLong();
        Cached c = entries.get(path);
        if (c != null) {
            // a stale entry is "ask again", never "absent": it may have outlived its directory's listing
            return c.expiresMillis > now ? c.entry : null;
        }
        Long complete = completeDirs.get(path.parent());
        if (complete != null && complete > now) {
            throw new FuseError(Errno.ENOENT, "no such file or directory: " + path);
        }
        return null;
    }

    void put(FusePath path, NamespaceEntry entry) {
        if (ttlMillis > 0) {
            entries.put(path, new Cached(entry, clock.getAsLong() + ttlMillis));
        }
    }

    /**
     * A directory's entries changed at {@code millis}: the masters moved its mtime (explicit
     * directories), and so does the cached entry, without asking again.
     */
    void touch(FusePath dir, long millis) {
        entries.computeIfPresent(dir, (p, c) -> {
            ObjectManifest m = c.entry.manifest();
            if (m == null || m.mtimeMillis() >= millis) {
                return c;
            }
            NamespaceEntry touched = new NamespaceEntry(c.entry.name(), c.entry.inode(), true,
                    m.withAttributes(millis, m.properties(), m.posix()));
            return new Cached(touched, c.expiresMillis);
        });
    }

    /** The name was removed by this mount. */
    void remove(FusePath path) {
        entries.remove(path);
    }

    /** Nothing is known about the name (a change failed half-way, or another client may have it). */
    void forget(FusePath path) {
        entries.remove(path);
        completeDirs.remove(path.parent());
    }

    /** Forgets every name of an inode (its hard links changed, or its link count). */
    void forgetInode(long inode) {
        entries.entrySet().removeIf(e -> {
            if (e.getValue().entry.inode() != inode) {
                return false;
            }
            completeDirs.remove(e.getKey().parent());
            return true;
        });
    }

    /** Forgets everything at and under a directory (it moved). */
    void forgetTree(FusePath dir) {
        entries.keySet().removeIf(p -> p.equals(dir) || p.isUnder(dir));
        completeDirs.keySet().removeIf(p -> p.equals(dir) || p.isUnder(dir));
        listedDirs.keySet().removeIf(p -> p.equals(dir) || p.isUnder(dir));
    }

    /** Records that {@code dir} was just listed, in full or not. */
    void listed(FusePath dir, boolean complete) {
        if (ttlMillis == 0) {
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
        return t != null && t > clock.getAsLong();
    }
}
