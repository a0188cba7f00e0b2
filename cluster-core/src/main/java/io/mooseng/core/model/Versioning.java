package io.mooseng.core.model;

/** A bucket's S3 versioning state. A bucket starts {@link #UNVERSIONED} and, once versioned, never returns to it. */
public enum Versioning {
    /** Never versioned: a write replaces the key's object, a delete removes it (to the trash). */
    UNVERSIONED,
    /** Every write makes a new version with its own id; a delete without a version id writes a delete marker. */
    ENABLED,
    /** Writes make the "null" version (replacing a null one), deletes write a null delete marker; older versions stay. */
    SUSPENDED;

    /** Whether writes and deletes keep the versions they replace. */
    public boolean keepsVersions() {
        return this != UNVERSIONED;
    }
}
