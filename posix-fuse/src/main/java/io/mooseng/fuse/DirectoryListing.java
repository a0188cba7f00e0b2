package io.mooseng.fuse;

import io.mooseng.core.model.NamespaceEntry;

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
    private final List<NamespaceEntry> entries = new ArrayList<>();
    private boolean complete;

    DirectoryListing(FusePath dir) {
        this.dir = dir;
    }

    FusePath dir() {
        return dir;
    }

    /** The entry at a position from {@link #FIRST_ENTRY} on, or null past the last. */
    synchronized NamespaceEntry at(long position, MountTree tree) {
        long index = position - FIRST_ENTRY;
        while (index >= entries.size() && !complete) {
            List<NamespaceEntry> page = tree.page(dir, entries.isEmpty() ? null : MountTree.after(entries.getLast()));
            entries.addAll(page);
            complete = page.size() < MountTree.PAGE;
        }
        return index < entries.size() ? entries.get((int) index) : null;
    }

    /** rewinddir(3): the next read starts again from the masters' current listing. */
    synchronized void rewind() {
        entries.clear();
        complete = false;
    }
}
