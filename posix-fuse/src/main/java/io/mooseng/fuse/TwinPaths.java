package io.mooseng.fuse;

import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.TwinName;
import io.mooseng.fuse.kernel.FuseException;

import java.util.ArrayList;
import java.util.List;

/**
 * The mount's side of the twin rule ({@link TwinName}; the masters resolve twin names): which
 * cached names change when an object and a directory of one name come to coexist or stop to.
 * Another client's PUT of {@code a/b/c} can make a directory {@code a/b} beside a cached file
 * {@code a/b} (which then shows as {@code a/b.~object}), its DELETE of the last key under an
 * implied {@code a/b/} the reverse; a change of {@code a/b} changes what {@code a/b.~object} is.
 */
final class TwinPaths {
    private TwinPaths() {
    }

    /** The twin name of the object {@code p} names. */
    static FusePath twinOf(FusePath p) {
        return p.parent().child(TwinName.of(p.name()));
    }

    /**
     * Forgets what another client's change of {@code changed} may have changed beside it: its
     * twin name, and each directory above it that the change may have made or removed (known
     * here as absent, a file or an implied directory) with its twin name.
     *
     * @return the names forgotten, for the kernel to forget too
     */
    static List<FusePath> forgetAround(EntryCache cache, FusePath changed) {
        List<FusePath> out = new ArrayList<>();
        if (changed.isRoot() || changed.isBucketRoot()) {
            return out;
        }
        forgetIfKnown(cache, twinOf(changed), out);
        for (FusePath dir = changed.parent(); !dir.isRoot() && !dir.isBucketRoot(); dir = dir.parent()) {
            NamespaceEntry known;
            try {
                known = cache.find(dir);
            } catch (FuseException absent) {
                known = null;
                forget(cache, dir, out);
            }
            if (known != null && known.directory() && known.manifest() != null) {
                return out; // an explicit directory stays what it is, and so does everything above it
            }
            if (known != null) {
                forget(cache, dir, out);
            }
            forgetIfKnown(cache, twinOf(dir), out);
        }
        return out;
    }

    /** This mount removed or moved away directory {@code dir}: an object of its name shows under that name again. */
    static void directoryLeft(EntryCache cache, FusePath dir) {
        FusePath twin = twinOf(dir);
        NamespaceEntry known;
        try {
            known = cache.find(twin);
        } catch (FuseException absent) {
            return;
        }
        if (known != null && !known.directory()) {
            cache.forget(twin);
            cache.forget(dir);
        }
    }

    /** Forgets {@code p} if the cache knows anything of it (an entry, or that it is absent). */
    private static void forgetIfKnown(EntryCache cache, FusePath p, List<FusePath> out) {
        try {
            if (cache.find(p) == null) {
                return;
            }
        } catch (FuseException absent) {
            // known absent: forgotten below
        }
        forget(cache, p, out);
    }

    private static void forget(EntryCache cache, FusePath p, List<FusePath> out) {
        cache.forget(p);
        out.add(p);
    }
}
