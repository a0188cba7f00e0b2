package io.mooseng.metadata.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.TrashEntry;
import io.mooseng.metadata.store.KvView.Cursor;
import io.mooseng.metadata.store.NamespaceSchema.Table;
import io.mooseng.metadata.store.NamespaceSchema.TrashRow;

import java.util.ArrayList;
import java.util.List;

import static io.mooseng.metadata.store.NamespaceSchema.inodeKey;
import static io.mooseng.metadata.store.NamespaceSchema.startsWith;
import static io.mooseng.metadata.store.NamespaceSchema.trashKey;

/**
 * A bucket's trash (MooseFS trash): deleted objects whose inode and blocks are kept,
 * unlinked from the tree, until restored or purged. Blocks stay in the block index under
 * the inode, so repair keeps protecting them and garbage collection leaves them alone.
 */
final class Trash {
    private final KvView kv;
    private final Tree tree;

    Trash(KvView kv, Tree tree) {
        this.kv = kv;
        this.tree = tree;
    }

    void add(ObjectInfo removed, long deletedMillis) {
        kv.put(Table.TRASH, trashKey(removed.bucket(), removed.inode()), NamespaceSchema.encodeTrash(removed.key(), deletedMillis));
    }

    /** Entries of a bucket by inode (deletion order). */
    List<TrashEntry> list(String bucket) {
        List<TrashEntry> out = new ArrayList<>();
        byte[] prefix = NamespaceSchema.trashPrefix(bucket);
        try (Cursor c = kv.seekWithin(Table.TRASH, prefix)) {
            for (; c.valid() && startsWith(c.key(), prefix); c.next()) {
                long inode = NamespaceSchema.trashInode(c.key());
                TrashRow row = NamespaceSchema.decodeTrash(c.value());
                var m = tree.inode(inode).manifest();
                out.add(new TrashEntry(bucket, row.key(), inode, row.deletedMillis(), m.size(), m.etag()));
            }
        }
        return out;
    }

    /** The entry's version as kept (its key, inode and manifest); fails with NO_SUCH_KEY if there is none. */
    ObjectInfo get(String bucket, long inode) {
        TrashRow row = row(bucket, inode);
        return new ObjectInfo(bucket, row.key(), inode, tree.inode(inode).manifest());
    }

    /** Links the entry back at its key; fails with KEY_CONFLICT if something lives there now. */
    ObjectInfo restore(BucketInfo bucket, long inode) {
        TrashRow row = row(bucket.name(), inode);
        ObjectKey key = ObjectKey.parse(row.key());
        try {
            tree.get(bucket, key);
            throw new MooseException(ErrorCode.KEY_CONFLICT, "cannot restore " + bucket.name() + "/" + row.key()
                    + ": an object exists at that key; delete or move it first");
        } catch (MooseException e) {
            if (e.code() != ErrorCode.NO_SUCH_KEY) {
                throw e;
            }
        }
        kv.delete(Table.TRASH, trashKey(bucket.name(), inode));
        return tree.put(bucket, key, tree.inode(inode).manifest(), inode).object();
    }

    /** Drops the entry for good; @return the version whose blocks the caller may now free. */
    ObjectInfo purge(String bucket, long inode) {
        TrashRow row = row(bucket, inode);
        var manifest = tree.inode(inode).manifest();
        kv.delete(Table.TRASH, trashKey(bucket, inode));
        kv.delete(Table.INODES, inodeKey(inode));
        tree.blocks().remove(manifest.blocks());
        return new ObjectInfo(bucket, row.key(), inode, manifest);
    }

    /** Purges every entry of a bucket (the bucket is being deleted); their shards are left to GC. */
    void purgeAll(String bucket) {
        for (TrashEntry e : list(bucket)) {
            purge(bucket, e.inode());
        }
    }

    private TrashRow row(String bucket, long inode) {
        byte[] v = kv.get(Table.TRASH, trashKey(bucket, inode));
        if (v == null) {
            throw new MooseException(ErrorCode.NO_SUCH_KEY, "no trash entry " + inode + " in bucket " + bucket);
        }
        return NamespaceSchema.decodeTrash(v);
    }
}
