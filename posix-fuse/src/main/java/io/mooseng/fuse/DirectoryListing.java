package io.mooseng.fuse;

import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.object.DirectoryCursor;

import java.util.ArrayList;
import java.util.List;

/**
 * One open directory handle's listing, read from the masters a page at a time as the
 * kernel's READDIR calls reach it, so that offsets stay stable while the handle is open.
 * Positions: 0 is ".", 1 is "..", 2 on the directory's entries in listing order.
 */
final class DirectoryListing {
    static final int FIRST_ENTRY = 2;

    private final FusePath dir;
    /** The entries read and not yet passed, from index {@link #first}: at most about two pages. */
    private final List<NamespaceEntry> window = new ArrayList<>();
    private long first;
    /** Where the listing continues after the last entry read (null: nothing read yet). */
    private DirectoryCursor after;
    private boolean complete;

    DirectoryListing(FusePath dir) {
        this.dir = dir;
    }

    FusePath dir() {
        return dir;
    }

    /**
     * The entry at a position from {@link #FIRST_ENTRY} on, or null past the last. Entries
     * before the asked one are let go (the kernel reads on), so a directory of any size holds
     * about two pages; a position before them (seekdir back) reads the listing again.
     */
    synchronized NamespaceEntry at(long position, MountTree tree) {
        long index = position - FIRST_ENTRY;
        if (index < first) {
            rewind();
        }
        while (index >= first + window.size() && !complete) {
            int passed = (int) Math.min(window.size(), index - first);
            window.subList(0, passed).clear();
            first += passed;
            List<NamespaceEntry> page = tree.page(dir, after);
            window.addAll(page);
            if (!page.isEmpty()) {
                after = DirectoryCursor.after(page.getLast());
            }
            complete = page.size() < MountTree.PAGE;
        }
        long i = index - first;
        return i < window.size() ? window.get((int) i) : null;
    }

    /** rewinddir(3): the next read starts again from the masters' current listing. */
    synchronized void rewind() {
        window.clear();
        first = 0;
        after = null;
        complete = false;
    }
}
