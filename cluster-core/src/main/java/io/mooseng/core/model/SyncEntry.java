package io.mooseng.core.model;

import java.util.List;
import java.util.Map;

/**
 * One change in a zone's sync log, as peers pull it.
 *
 * @param shard   the log shard (a hash of bucket and key, see {@link #shardOf})
 * @param seq     position in the shard, from 1; 0 in a full-sync listing
 * @param kind    what changed
 * @param bucket  the bucket; "" for identity changes (users and keys, which belong to no bucket)
 * @param key     the object's key; "" for bucket changes; the user's name or the key id for identity changes
 * @param stamp   the change's stamp: the version's for a put, the tombstone's for a delete
 * @param seen    zones that applied the change, its origin first: a zone never applies it twice
 *                and no change loops
 * @param size    the object's size (puts)
 * @param etag    the object's ETag (puts)
 * @param inline  a put whose content travels in the payload (small objects kept in metadata): nothing to fetch
 * @param payload the state to apply, opaque outside the metadata service: a put's manifest
 *                without its blocks, a bucket's settings, a user, an access key (its secret sealed
 *                to the cluster key of the zone that logged it); empty for deletes
 * @param tags    a put's object tags, so a puller checks a sync rule's tag filter without opening the payload
 * @param secret  an access key's secret in clear, only in a gateway's answer to a peer's sync agent and that
 *                agent's memory (it seals it to its own cluster key before committing): never stored or logged
 * @param versionId the version's id in a bucket that keeps versions (a put, a delete marker, the version a
 *                {@link Kind#DELETE_VERSION} removes), the same in every zone; null for the null version and other changes
 */
public record SyncEntry(int shard, long seq, Kind kind, String bucket, String key, ZoneStamp stamp, List<String> seen,
                        long size, String etag, boolean inline, byte[] payload, Map<String, String> tags, String secret,
                        String versionId) {
    /** Shards of every zone's log: fixed, so a peer's cursors keep their meaning. */
    public static final int SHARDS = 16;
    /** The shard of every identity change (users and keys): they apply in the order they were made. */
    public static final int IDENTITY_SHARD = shardOf("", "");

    /** Ordinals are stored: new kinds go at the end. */
    public enum Kind {
        PUT_OBJECT, DELETE_OBJECT, CREATE_BUCKET, DELETE_BUCKET, BUCKET_SETTINGS, USER, DELETE_USER, ACCESS_KEY, DELETE_ACCESS_KEY,
        /** One version removed by its id (DeleteObject with versionId) where the bucket keeps versions. */
        DELETE_VERSION
    }

    public SyncEntry {
        seen = List.copyOf(seen);
        tags = Map.copyOf(tags);
    }

    public SyncEntry(int shard, long seq, Kind kind, String bucket, String key, ZoneStamp stamp, List<String> seen,
                     long size, String etag, boolean inline, byte[] payload) {
        this(shard, seq, kind, bucket, key, stamp, seen, size, etag, inline, payload, Map.of(), null, null);
    }

    public String origin() {
        return seen.get(0);
    }

    /** The zone the change was made in: its stamp's (a change from before the zonegroup: the first zone that logged it). */
    public String originZone() {
        return stamp.zone().isEmpty() ? origin() : stamp.zone();
    }

    /** This entry, marked as already held by {@code zone}, which therefore skips it. */
    public SyncEntry seenBy(String zone) {
        if (seen.contains(zone)) {
            return this;
        }
        List<String> more = new java.util.ArrayList<>(seen);
        more.add(zone);
        return new SyncEntry(shard, seq, kind, bucket, key, stamp, more, size, etag, inline, payload, tags, secret, versionId);
    }

    /** This access key change with its secret in clear (for the wire), or without it ({@code null}). */
    public SyncEntry withSecret(String clear) {
        return new SyncEntry(shard, seq, kind, bucket, key, stamp, seen, size, etag, inline, payload, tags, clear, versionId);
    }

    /** This change with another payload and no secret: an access key resealed to this zone's cluster key. */
    public SyncEntry withPayload(byte[] state) {
        return new SyncEntry(shard, seq, kind, bucket, key, stamp, seen, size, etag, inline, state, tags, null, versionId);
    }

    /** This change naming a version by its id (see {@code versionId}). */
    public SyncEntry withVersionId(String id) {
        return new SyncEntry(shard, seq, kind, bucket, key, stamp, seen, size, etag, inline, payload, tags, secret, id);
    }

    public boolean objectChange() {
        return kind == Kind.PUT_OBJECT || kind == Kind.DELETE_OBJECT || kind == Kind.DELETE_VERSION;
    }

    /** A user's or access key's change: no bucket, no sync rule. */
    public boolean identityChange() {
        return identityKind(kind);
    }

    public static boolean identityKind(Kind kind) {
        return kind == Kind.USER || kind == Kind.DELETE_USER || kind == Kind.ACCESS_KEY || kind == Kind.DELETE_ACCESS_KEY;
    }

    /** The object's tags where the change carries them (puts); null where it does not (deletes): a tag filter cannot judge it. */
    public Map<String, String> objectTags() {
        return kind == Kind.PUT_OBJECT ? tags : null;
    }

    /** Without the secret: entries are logged when parked. */
    @Override
    public String toString() {
        return "SyncEntry[" + kind + " " + bucket + "/" + key + " shard " + shard + " seq " + seq + " stamp " + stamp
                + (versionId == null ? "" : " version " + versionId) + " seen " + seen
                + (secret == null ? "" : " with secret") + "]";
    }

    /** The shard of a key's (or with key "" a bucket's) changes: all changes of one key are in one shard, in order. */
    public static int shardOf(String bucket, String key) {
        int h = 0x9747b28c;
        for (byte b : (bucket + "\0" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x01000193;
        }
        return Math.floorMod(h ^ (h >>> 16), SHARDS);
    }
}
