package io.mooseng.metadata.store;

import io.mooseng.core.clock.HybridLogicalClock;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.SyncEntry.Kind;
import io.mooseng.core.model.SyncLogPage;
import io.mooseng.core.model.SyncState;
import io.mooseng.core.model.ZoneStamp;
import io.mooseng.core.model.Zonegroup;
import io.mooseng.metadata.codec.BinaryReader;
import io.mooseng.metadata.codec.BinaryWriter;
import io.mooseng.metadata.codec.ModelCodec;
import io.mooseng.metadata.store.KvView.Cursor;
import io.mooseng.metadata.store.NamespaceSchema.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The zone's side of multisite sync in the store: its name and zonegroup, its hybrid logical
 * clock, the sharded change log peers pull, and the stamps last-writer-wins compares
 * (tombstones of deleted keys, bucket stamps). Everything here is written in the batch of
 * the change it records, so a change and its log entry commit together or not at all.
 *
 * <p>The clock is part of the replicated state: a change's timestamp is
 * max(the submitter's wall-clock time, the last timestamp + 1), and applying a peer's change
 * moves the clock past its timestamp, so every replica stamps alike and a later local change
 * always follows what this zone has seen. A local change also moves the clock past the stamp
 * of what it replaces first (see Namespace#stampAfter): a version or bucket from before the
 * zonegroup has an unzoned stamp, its time, which the clock never saw.
 */
final class SyncJournal {
    private final KvView kv;
    private SyncState state;

    SyncJournal(KvView kv) {
        this.kv = kv;
    }

    SyncState state() {
        if (state == null) {
            byte[] v = kv.get(Table.META, NamespaceSchema.ZONE_KEY);
            state = v == null ? SyncState.NONE : NamespaceSchema.decode(ModelCodec.SYNC_STATE, v);
        }
        return state;
    }

    /** Whether changes are logged: only while this cluster is a zone of a group. */
    boolean zoned() {
        return state().zoned();
    }

    SyncState configure(String localZone, Zonegroup group) {
        SyncState current = state();
        if (current.zoned() && !current.localZone().equals(localZone)) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "this cluster is zone '" + current.localZone()
                    + "'; a zone keeps its name (remove it from the group and add a new cluster instead)");
        }
        if (group.zone(localZone).isEmpty()) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "zonegroup " + group.name() + " has no zone '" + localZone + "'");
        }
        Zonegroup kept = current.zonegroup().supersededBy(group) ? group : current.zonegroup();
        state = new SyncState(localZone, kept);
        kv.put(Table.META, NamespaceSchema.ZONE_KEY, NamespaceSchema.encode(ModelCodec.SYNC_STATE, state));
        return state;
    }

    /** A stamp for a local change submitted at {@code wallMillis} (0: no time of its own). */
    ZoneStamp stamp(long wallMillis) {
        long next = Math.max(HybridLogicalClock.timestamp(Math.max(0, Math.min(wallMillis, HybridLogicalClock.MAX_PHYSICAL_MILLIS)), 0),
                lastHlc() + 1);
        setHlc(next);
        return new ZoneStamp(next, state().localZone());
    }

    /** A peer's change was applied: later local stamps follow it. */
    void observe(ZoneStamp remote) {
        if (remote.hlc() > lastHlc()) {
            setHlc(remote.hlc());
        }
    }

    private long lastHlc() {
        byte[] v = kv.get(Table.META, NamespaceSchema.HLC_KEY);
        return v == null ? 0 : new BinaryReader(v).fixed64();
    }

    private void setHlc(long hlc) {
        kv.put(Table.META, NamespaceSchema.HLC_KEY, new BinaryWriter(8).fixed64(hlc).toByteArray());
    }

    /** Appends a change made here. */
    void append(Kind kind, String bucket, String key, ZoneStamp stamp, long size, String etag, byte[] payload) {
        append(kind, bucket, key, stamp, List.of(state().localZone()), size, etag, false, payload, java.util.Map.of(), null);
    }

    /** Appends a change made here to one version of a key: a delete marker or a removal by id ({@code versionId} null: none). */
    void appendVersion(Kind kind, String bucket, String key, ZoneStamp stamp, String versionId) {
        append(kind, bucket, key, stamp, List.of(state().localZone()), 0, "", false, new byte[0], java.util.Map.of(), versionId);
    }

    /** Appends a version written here (its stamp set). */
    void appendPut(String bucket, String key, ObjectManifest m) {
        append(Kind.PUT_OBJECT, bucket, key, m.stamp(), List.of(state().localZone()), m.size(), m.etag(), contentTravels(m), attributesOf(m),
                m.properties().tags(), m.versionId());
    }

    /** Appends a peer's change this zone applied, with this zone added to the zones that saw it. */
    void appendApplied(SyncEntry entry, byte[] payload) {
        List<String> seen = new ArrayList<>(entry.seen());
        seen.add(state().localZone());
        append(entry.kind(), entry.bucket(), entry.key(), entry.stamp(), seen, entry.size(), entry.etag(), entry.inline(), payload, entry.tags(),
                entry.versionId());
    }

    private void append(Kind kind, String bucket, String key, ZoneStamp stamp, List<String> seen, long size, String etag,
                        boolean inline, byte[] payload, java.util.Map<String, String> tags, String versionId) {
        // all identity changes in one shard, in order: a key's user is created before it, whatever their names
        int shard = SyncEntry.identityKind(kind) ? SyncEntry.IDENTITY_SHARD : SyncEntry.shardOf(bucket, key);
        long[] heads = positions(NamespaceSchema.SYNC_HEAD_KEY);
        long seq = ++heads[shard];
        SyncEntry entry = new SyncEntry(shard, seq, kind, bucket, key, stamp, seen, size, etag, inline, payload, tags, null, versionId);
        kv.put(Table.SYNCLOG, NamespaceSchema.syncLogKey(shard, seq), NamespaceSchema.encode(ModelCodec.SYNC_ENTRY, entry));
        kv.put(Table.META, NamespaceSchema.SYNC_HEAD_KEY, NamespaceSchema.encode(ModelCodec.LONGS, heads));
    }

    SyncLogPage read(int shard, long after, int limit) {
        if (shard < 0 || shard >= SyncEntry.SHARDS) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "no sync log shard " + shard);
        }
        long head = positions(NamespaceSchema.SYNC_HEAD_KEY)[shard];
        if (after < positions(NamespaceSchema.SYNC_TRIM_KEY)[shard]) {
            return new SyncLogPage(List.of(), head, true);
        }
        List<SyncEntry> out = new ArrayList<>();
        byte[] end = NamespaceSchema.syncLogKey(shard + 1, 0);
        try (Cursor c = kv.seek(Table.SYNCLOG, NamespaceSchema.syncLogKey(shard, after + 1))) {
            for (; c.valid() && out.size() < limit && java.util.Arrays.compareUnsigned(c.key(), end) < 0; c.next()) {
                out.add(NamespaceSchema.decode(ModelCodec.SYNC_ENTRY, c.value()));
            }
        }
        return new SyncLogPage(out, head, false);
    }

    /**
     * Drops the shard's entries up to {@code through} (at most {@code batch} of them): peers behind
     * that point full-sync. A delete every peer has applied ({@code consumed}) also takes its key's
     * tombstone with it, unless a later delete replaced it: no zone can bring that version back
     * any more (each holds the tombstone or had it applied; a full sync compares against what it lists).
     * Changes made here that every peer applied move the shard's replicated watermark: this zone's
     * stamps grow with the log, so every change of this zone at or below it has reached every peer.
     */
    void trim(int shard, long through, long consumed, int batch) {
        long[] trimmed = positions(NamespaceSchema.SYNC_TRIM_KEY);
        long[] replicated = positions(NamespaceSchema.SYNC_REPLICATED_KEY);
        long watermark = replicated[shard];
        long upTo = Math.min(Math.min(through, positions(NamespaceSchema.SYNC_HEAD_KEY)[shard]), trimmed[shard] + batch);
        for (long seq = trimmed[shard] + 1; seq <= upTo; seq++) {
            byte[] key = NamespaceSchema.syncLogKey(shard, seq);
            byte[] value = seq <= consumed ? kv.get(Table.SYNCLOG, key) : null;
            if (value != null) {
                SyncEntry e = NamespaceSchema.decode(ModelCodec.SYNC_ENTRY, value);
                collectTombstone(e);
                if (e.originZone().equals(state().localZone())) {
                    watermark = Math.max(watermark, e.stamp().hlc());
                }
            }
            kv.delete(Table.SYNCLOG, key);
        }
        if (watermark != replicated[shard]) {
            replicated[shard] = watermark;
            kv.put(Table.META, NamespaceSchema.SYNC_REPLICATED_KEY, NamespaceSchema.encode(ModelCodec.LONGS, replicated));
        }
        if (upTo > trimmed[shard]) {
            trimmed[shard] = upTo;
            kv.put(Table.META, NamespaceSchema.SYNC_TRIM_KEY, NamespaceSchema.encode(ModelCodec.LONGS, trimmed));
        }
    }

    private void collectTombstone(SyncEntry e) {
        if (e.kind() == Kind.DELETE_OBJECT && tombstone(e.bucket(), e.key()).filter(e.stamp()::equals).isPresent()) {
            clearTombstone(e.bucket(), e.key());
        }
        if (e.kind() == Kind.DELETE_VERSION) {
            kv.delete(Table.STAMPS, NamespaceSchema.versionTombstoneKey(e.bucket(), e.key(), e.versionId()));
        }
    }

    long[] heads() {
        return positions(NamespaceSchema.SYNC_HEAD_KEY);
    }

    /** Per shard, the HLC up to which this zone's own changes have reached every peer (0: none known). */
    long[] replicated() {
        return positions(NamespaceSchema.SYNC_REPLICATED_KEY);
    }

    private long[] positions(byte[] metaKey) {
        byte[] v = kv.get(Table.META, metaKey);
        return v == null ? new long[SyncEntry.SHARDS] : NamespaceSchema.decode(ModelCodec.LONGS, v);
    }

    // ---- stamps last-writer-wins compares

    Optional<ZoneStamp> tombstone(String bucket, String key) {
        byte[] v = kv.get(Table.STAMPS, NamespaceSchema.tombstoneKey(bucket, key));
        return v == null ? Optional.empty() : Optional.of(NamespaceSchema.decode(ModelCodec.ZONE_STAMP, v));
    }

    void setTombstone(String bucket, String key, ZoneStamp stamp) {
        kv.put(Table.STAMPS, NamespaceSchema.tombstoneKey(bucket, key), NamespaceSchema.encode(ModelCodec.ZONE_STAMP, stamp));
    }

    void clearTombstone(String bucket, String key) {
        kv.delete(Table.STAMPS, NamespaceSchema.tombstoneKey(bucket, key));
    }

    /** Whether version {@code versionId} of the key was removed by id (in this zone or a peer's). */
    boolean versionRemoved(String bucket, String key, String versionId) {
        return kv.get(Table.STAMPS, NamespaceSchema.versionTombstoneKey(bucket, key, versionId)) != null;
    }

    void setVersionRemoved(String bucket, String key, String versionId, ZoneStamp stamp) {
        kv.put(Table.STAMPS, NamespaceSchema.versionTombstoneKey(bucket, key, versionId),
                NamespaceSchema.encode(ModelCodec.ZONE_STAMP, stamp));
    }

    /**
     * Versions of a bucket's keys after {@code afterKey} (null: from the first) removed by id, as DELETE_VERSION entries of a
     * full-sync listing, in key order: at least {@code limit} unless fewer are left, and all of the last key listed.
     */
    List<SyncEntry> removedVersions(String bucket, String afterKey, int limit) {
        List<SyncEntry> out = new ArrayList<>();
        byte[] prefix = NamespaceSchema.versionTombstonePrefix(bucket);
        byte[] from = afterKey == null ? prefix : NamespaceSchema.versionTombstoneKey(bucket, afterKey + "\1", "");
        try (Cursor c = kv.seek(Table.STAMPS, from)) {
            for (; c.valid() && NamespaceSchema.startsWith(c.key(), prefix); c.next()) {
                byte[] k = c.key();
                String keyAndId = new String(k, prefix.length, k.length - prefix.length, java.nio.charset.StandardCharsets.UTF_8);
                int split = keyAndId.lastIndexOf('\0');
                String key = keyAndId.substring(0, split);
                if (out.size() >= limit && !key.equals(out.getLast().key())) {
                    break;
                }
                out.add(listed(Kind.DELETE_VERSION, bucket, key, NamespaceSchema.decode(ModelCodec.ZONE_STAMP, c.value()), 0, "", false,
                        new byte[0]).withVersionId(keyAndId.substring(split + 1)));
            }
        }
        return out;
    }

    /** A deleted bucket's key and version tombstones go with it (the bucket's own stamp stays). */
    void clearTombstones(String bucket) {
        List<byte[]> keys = new ArrayList<>();
        for (byte[] prefix : List.of(NamespaceSchema.tombstonePrefix(bucket), NamespaceSchema.versionTombstonePrefix(bucket))) {
            try (Cursor c = kv.seekWithin(Table.STAMPS, prefix)) {
                for (; c.valid() && NamespaceSchema.startsWith(c.key(), prefix); c.next()) {
                    keys.add(c.key());
                }
            }
        }
        keys.forEach(k -> kv.delete(Table.STAMPS, k));
    }

    /** Tombstones of a bucket's keys after {@code afterKey}, in key order. */
    List<SyncEntry> tombstones(String bucket, String afterKey, int limit) {
        List<SyncEntry> out = new ArrayList<>();
        byte[] prefix = NamespaceSchema.tombstonePrefix(bucket);
        try (Cursor c = kv.seek(Table.STAMPS, NamespaceSchema.tombstoneKey(bucket, afterKey + "\0"))) {
            for (; c.valid() && out.size() < limit && NamespaceSchema.startsWith(c.key(), prefix); c.next()) {
                String key = NamespaceSchema.tombstoneObjectKey(c.key(), bucket);
                ZoneStamp stamp = NamespaceSchema.decode(ModelCodec.ZONE_STAMP, c.value());
                out.add(listed(Kind.DELETE_OBJECT, bucket, key, stamp, 0, "", false, new byte[0]));
            }
        }
        return out;
    }

    /** The stamp of a bucket's (or a user's, a key's) last change, and whether that was its deletion. */
    record ChangeStamp(ZoneStamp stamp, boolean deleted) {
    }

    Optional<ChangeStamp> bucketStamp(String bucket) {
        return stampAt(NamespaceSchema.bucketStampKey(bucket));
    }

    private Optional<ChangeStamp> stampAt(byte[] stampKey) {
        byte[] v = kv.get(Table.STAMPS, stampKey);
        if (v == null) {
            return Optional.empty();
        }
        BinaryReader r = new BinaryReader(v, 1, v.length - 1);
        return Optional.of(new ChangeStamp(ModelCodec.ZONE_STAMP.read(r), r.bool()));
    }

    void setBucketStamp(String bucket, ZoneStamp stamp, boolean deleted) {
        putStamp(NamespaceSchema.bucketStampKey(bucket), stamp, deleted);
    }

    private void putStamp(byte[] stampKey, ZoneStamp stamp, boolean deleted) {
        BinaryWriter w = new BinaryWriter().u8(NamespaceSchema.VALUE_VERSION);
        ModelCodec.ZONE_STAMP.write(w, stamp);
        kv.put(Table.STAMPS, stampKey, w.bool(deleted).toByteArray());
    }

    /** The stamp of an identity's last change ({@code type} 'U' a user, 'K' an access key) and whether that removed it. */
    Optional<ChangeStamp> identityStamp(char type, String name) {
        return stampAt(NamespaceSchema.identityStampKey(type, name));
    }

    void setIdentityStamp(char type, String name, ZoneStamp stamp, boolean deleted) {
        putStamp(NamespaceSchema.identityStampKey(type, name), stamp, deleted);
    }

    /** Removed identities of a type as deletions, for a full sync. */
    List<SyncEntry> identityTombstones(char type, Kind kind) {
        List<SyncEntry> out = new ArrayList<>();
        byte[] prefix = {(byte) type};
        try (Cursor c = kv.seekWithin(Table.STAMPS, prefix)) {
            for (; c.valid() && NamespaceSchema.startsWith(c.key(), prefix); c.next()) {
                String name = NamespaceSchema.nameOfStampKey(c.key());
                stampAt(c.key()).filter(ChangeStamp::deleted).ifPresent(s -> out.add(listed(kind, "", name, s.stamp(), 0, "", false, new byte[0])));
            }
        }
        return out;
    }

    /** Deleted buckets' tombstones. */
    List<SyncEntry> bucketTombstones() {
        List<SyncEntry> out = new ArrayList<>();
        byte[] prefix = {'B'};
        try (Cursor c = kv.seekWithin(Table.STAMPS, prefix)) {
            for (; c.valid() && NamespaceSchema.startsWith(c.key(), prefix); c.next()) {
                String bucket = NamespaceSchema.nameOfStampKey(c.key());
                bucketStamp(bucket).filter(ChangeStamp::deleted).ifPresent(s ->
                        out.add(listed(Kind.DELETE_BUCKET, bucket, "", s.stamp(), 0, "", false, new byte[0])));
            }
        }
        return out;
    }

    /**
     * An entry of a full-sync listing: the current state, seen by this zone only (the stamp
     * names its origin), so a reader compares it with what it has whoever wrote it.
     */
    SyncEntry listed(Kind kind, String bucket, String key, ZoneStamp stamp, long size, String etag, boolean inline, byte[] payload) {
        return new SyncEntry(SyncEntry.shardOf(bucket, key), 0, kind, bucket, key, stamp, List.of(state().localZone()), size, etag,
                inline, payload);
    }

    /** A version in a full-sync listing. */
    SyncEntry listedPut(String bucket, String key, ObjectManifest m) {
        return new SyncEntry(SyncEntry.shardOf(bucket, key), 0, Kind.PUT_OBJECT, bucket, key, m.effectiveStamp(), List.of(state().localZone()),
                m.size(), m.etag(), contentTravels(m), attributesOf(m), m.properties().tags(), null, m.versionId());
    }

    /**
     * What a peer needs of a version: the manifest without its blocks (they name this zone's
     * chunkservers), with the content of a small object kept in metadata (then nothing to fetch).
     */
    static byte[] attributesOf(ObjectManifest m) {
        byte[] inline = contentTravels(m) ? m.inlineData() : null;
        return NamespaceSchema.encode(ModelCodec.MANIFEST, new ObjectManifest(m.size(), m.etag(), m.mtimeMillis(), m.properties(),
                m.storageClass(), List.of(), inline, m.classPinned(), m.posix(), m.multipart(), m.stamp()).withChecksum(m.checksum()));
    }

    /**
     * A small object's content goes with its entry, unless encrypted: those bytes are ciphertext the peer has no key for,
     * so it fetches the content through a gateway like a large object's.
     */
    private static boolean contentTravels(ObjectManifest m) {
        return m.inline() && m.encryption() == null;
    }

    static ObjectManifest attributesFrom(byte[] payload) {
        return NamespaceSchema.decode(ModelCodec.MANIFEST, payload);
    }
}
