package io.mooseng.core.object;

import io.mooseng.core.model.NamespaceEntry;

/**
 * Where a page of a directory listing continues ({@link ObjectService#readDirectory}): taken
 * from the last entry of the page before, opaque to the caller. Inside, it is the
 * namespace's sort key of that entry (its name, with "/" after a directory's: directories
 * sort as their marker keys).
 */
public final class DirectoryCursor {
    private final String sortName;

    private DirectoryCursor(String sortName) {
        this.sortName = sortName;
    }

    /** The cursor that continues after {@code last}, an entry of the directory. */
    public static DirectoryCursor after(NamespaceEntry last) {
        return new DirectoryCursor(last.directory() ? last.name() + "/" : last.name());
    }

    String sortName() {
        return sortName;
    }

    @Override
    public String toString() {
        return "after " + sortName;
    }
}
