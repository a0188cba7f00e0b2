package io.mooseng.metadata.store;

import io.mooseng.core.model.ObjectManifest;

/**
 * What an inode is: a file with its manifest, or a directory that is explicit (created by a
 * "dir/" marker key, whose manifest it keeps) or implicit (only there for its children).
 */
record InodeRecord(boolean directory, boolean explicit, ObjectManifest manifest) {
    static InodeRecord file(ObjectManifest manifest) {
        return new InodeRecord(false, false, manifest);
    }

    static InodeRecord explicitDirectory(ObjectManifest marker) {
        return new InodeRecord(true, true, marker);
    }

    static InodeRecord implicitDirectory() {
        return new InodeRecord(true, false, null);
    }
}
