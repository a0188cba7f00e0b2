package io.mooseng.metadata.store;

import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectVersion;
import io.mooseng.core.model.VersionIds;
import io.mooseng.core.model.ZoneStamp;
import io.mooseng.metadata.codec.BinaryReader;
import io.mooseng.metadata.codec.BinaryWriter;
import io.mooseng.metadata.codec.ModelCodec;
import io.mooseng.metadata.store.KvView.Cursor;
import io.mooseng.metadata.store.NamespaceSchema.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static io.mooseng.metadata.store.NamespaceSchema.inodeKey;
import static io.mooseng.metadata.store.NamespaceSchema.startsWith;
import static io.mooseng.metadata.store.NamespaceSchema.versionKey;
import static io.mooseng.metadata.store.NamespaceSchema.versionPrefix;

/**
 * A versioned bucket's noncurrent versions and delete markers, out of the tree the mount and
 * the listings see (the tree holds only each key's current object). An object version keeps its
 * inode, and its blocks stay in the block index under it, so repair protects them and garbage
 * collection leaves them alone, as for the trash. Rows sort by key, then newest first.
 */
final class Versions {
    private final KvView kv;
    private final Tree tree;

    Versions(KvView kv, Tree tree) {
        this.kv = kv;
        this.tree = tree;
    }

    /**
     * One row.
     *
     * @param sequence  the version's inode (an object) or the marker's own number: newer is higher
     * @param versionId null for the null version
     * @param stamp     a marker's stamp where the cluster is a zone, else null (an object's is in its manifest)
     */
    record Row(String key, long sequence, String versionId, boolean deleteMarker, long millis, ZoneStamp stamp) {
        String answeredId() {
            return versionId == null ? VersionIds.NULL : versionId;
        }
    }

    /** Keeps an object version, unlinked from the tree, as noncurrent. */
    void keep(ObjectInfo version) {
        put(new Row(version.key(), version.inode(), version.manifest().versionId(), false, version.mtimeMillis(), null), version.bucket());
    }

    /** @param stamp the marker's stamp (null outside a zonegroup) */
    void addMarker(String bucket, String key, long sequence, String versionId, long millis, ZoneStamp stamp) {
        put(new Row(key, sequence, versionId, true, millis, stamp), bucket);
    }

    private void put(Row row, String bucket) {
        kv.put(Table.VERSIONS, versionKey(bucket, row.key(), row.sequence()),
                NamespaceSchema.encodeVersionRow(row.versionId(), row.deleteMarker(), row.millis(), row.stamp()));
    }

    /**
     * Gives a row a new, higher sequence (an object's inode moves there with its blocks), so it sorts newer than a version
     * inserted before it: peers' versions keep the key's rows in stamp order.
     */
    void resequence(String bucket, Row row, long sequence) {
        remove(bucket, row);
        if (!row.deleteMarker()) {
            tree.moveInode(object(bucket, row), sequence);
        }
        put(new Row(row.key(), sequence, row.versionId(), row.deleteMarker(), row.millis(), row.stamp()), bucket);
    }

    /** The stamp that orders a row among its key's versions: a marker's own, an object's manifest's (its mtime before zones). */
    ZoneStamp stampOf(String bucket, Row row) {
        if (row.deleteMarker()) {
            return row.stamp() != null ? row.stamp() : ZoneStamp.unzoned(row.millis());
        }
        return object(bucket, row).manifest().effectiveStamp();
    }

    /** The key's rows stamped after {@code stamp}, newest first (the newest rows: they are kept in stamp order). */
    List<Row> newerThan(String bucket, String key, ZoneStamp stamp) {
        List<Row> out = new ArrayList<>();
        byte[] prefix = versionPrefix(bucket, key + "\0");
        try (Cursor c = kv.seekWithin(Table.VERSIONS, prefix)) {
            for (; c.valid() && startsWith(c.key(), prefix); c.next()) {
                Row row = decode(c.key(), bucket, c.value());
                if (!stampOf(bucket, row).after(stamp)) {
                    break;
                }
                out.add(row);
            }
        }
        return out;
    }

    void remove(String bucket, Row row) {
        kv.delete(Table.VERSIONS, versionKey(bucket, row.key(), row.sequence()));
    }

    /**
     * The key's row of version {@code versionId} ("null" or a well-formed id). A row's sequence is its id's
     * unless the mount replaced that version's content (it then moved to an inode of its own): those are
     * found by a scan of the key's rows.
     */
    Optional<Row> find(String bucket, String key, String versionId) {
        if (VersionIds.NULL.equals(versionId)) {
            return nullVersion(bucket, key);
        }
        OptionalLong sequence = VersionIds.sequence(versionId);
        byte[] v = sequence.isEmpty() ? null : kv.get(Table.VERSIONS, versionKey(bucket, key, sequence.getAsLong()));
        Row row = v == null ? null : decode(versionKey(bucket, key, sequence.getAsLong()), bucket, v);
        return row != null && versionId.equals(row.versionId()) ? Optional.of(row) : first(bucket, key, r -> versionId.equals(r.versionId()));
    }

    Optional<Row> nullVersion(String bucket, String key) {
        return first(bucket, key, r -> r.versionId() == null);
    }

    /** The key's object row whose object is inode {@code inode}. */
    Optional<Row> ofInode(String bucket, String key, long inode) {
        byte[] v = kv.get(Table.VERSIONS, versionKey(bucket, key, inode));
        Row row = v == null ? null : decode(versionKey(bucket, key, inode), bucket, v);
        return row == null || row.deleteMarker() ? Optional.empty() : Optional.of(row);
    }

    /** The key's newest row that matches. */
    private Optional<Row> first(String bucket, String key, java.util.function.Predicate<Row> matching) {
        byte[] prefix = versionPrefix(bucket, key + "\0");
        try (Cursor c = kv.seekWithin(Table.VERSIONS, prefix)) {
            for (; c.valid() && startsWith(c.key(), prefix); c.next()) {
                Row row = decode(c.key(), bucket, c.value());
                if (matching.test(row)) {
                    return Optional.of(row);
                }
            }
        }
        return Optional.empty();
    }

    /** The key's newest kept row. */
    Optional<Row> newest(String bucket, String key) {
        byte[] prefix = versionPrefix(bucket, key + "\0");
        try (Cursor c = kv.seekWithin(Table.VERSIONS, prefix)) {
            return c.valid() && startsWith(c.key(), prefix) ? Optional.of(decode(c.key(), bucket, c.value())) : Optional.empty();
        }
    }

    /**
     * The bucket's rows with an id (not null versions) of keys after {@code afterKey} (null: from the first), in key order,
     * each key's newest first: at least {@code limit} rows unless fewer are left, and every such row of the last key
     * listed (a page ends between keys).
     */
    List<Row> withIdsAfter(String bucket, String afterKey, int limit) {
        List<Row> out = new ArrayList<>();
        byte[] prefix = versionPrefix(bucket, "");
        byte[] from = afterKey == null ? prefix : new BinaryWriter().raw(versionPrefix(bucket, afterKey)).u8(1).toByteArray();
        try (Cursor c = kv.seek(Table.VERSIONS, from)) {
            for (; c.valid() && startsWith(c.key(), prefix); c.next()) {
                Row row = decode(c.key(), bucket, c.value());
                if (out.size() >= limit && !row.key().equals(out.getLast().key())) {
                    break;
                }
                if (row.versionId() != null) {
                    out.add(row);
                }
            }
        }
        return out;
    }

    boolean any(String bucket) {
        byte[] prefix = versionPrefix(bucket, "");
        try (Cursor c = kv.seekWithin(Table.VERSIONS, prefix)) {
            return c.valid() && startsWith(c.key(), prefix);
        }
    }

    /** An object row's version as kept (its inode's manifest). */
    ObjectInfo object(String bucket, Row row) {
        return new ObjectInfo(bucket, row.key(), row.sequence(), tree.inode(row.sequence()).manifest());
    }

    ObjectVersion answer(String bucket, Row row, boolean latest) {
        return new ObjectVersion(row.key(), row.answeredId(), latest, row.millis(), row.deleteMarker() ? null : object(bucket, row));
    }

    /** Removes an object row's inode and its blocks from the index; @return the version, whose blocks the caller may free. */
    ObjectInfo drop(String bucket, Row row) {
        ObjectInfo version = object(bucket, row);
        remove(bucket, row);
        kv.delete(Table.INODES, inodeKey(row.sequence()));
        tree.blocks().remove(version.manifest().blocks());
        return version;
    }

    static Row decode(byte[] rowKey, String bucket, byte[] value) {
        BinaryReader r = new BinaryReader(value);
        if (r.u8() != NamespaceSchema.VALUE_VERSION) {
            throw new IllegalStateException("unsupported value version in " + Arrays.toString(rowKey));
        }
        return new Row(NamespaceSchema.versionObjectKey(rowKey, bucket), NamespaceSchema.versionSequence(rowKey), r.nullableString(),
                r.bool(), r.zigzag(), r.hasMore() ? ModelCodec.ZONE_STAMP.read(r) : null);
    }
}
