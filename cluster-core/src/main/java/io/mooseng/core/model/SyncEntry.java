package io.mooseng.core.model;

import java.util.List;

/**
 * One change in a zone's sync log, as peers pull it.
 *
 * @param shard   the log shard (a hash of bucket and key, see {@link #shardOf})
 * @param seq     position in the shard, from 1; 0 in a full-sync listing
 * @param kind    what changed
 * @param key     the object's key; "" for bucket changes
 * @param stamp   the change's stamp: the version's for a put, the tombstone's for a delete
 * @param seen    zones that applied the change, its origin first: a zone never applies it twice
 *                and no change loops
 * @param size    the object's size (puts)
 * @param etag    the object's ETag (puts)
 * @param inline  a put whose content travels in the payload (small objects kept in metadata): nothing to fetch
 * @param payload the state to apply, opaque outside the metadata service: a put's manifest
 *                without its blocks, a bucket's settings; empty for deletes
 */
public record SyncEntry(int shard, long seq, Kind kind, String bucket, String key, ZoneStamp stamp, List<String> seen,
                        long size, String etag, boolean inline, byte[] payload) {
    /** Shards of every zone's log: fixed, so a peer's cursors keep their meaning. */
    public static final int SHARDS = 16;

    public enum Kind { PUT_OBJECT, DELETE_OBJECT, CREATE_BUCKET, DELETE_BUCKET, BUCKET_SETTINGS }

    public SyncEntry {
        seen = List.copyOf(seen);
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
        return new SyncEntry(shard, seq, kind, bucket, key, stamp, more, size, etag, inline, payload);
    }

    public boolean objectChange() {
        return kind == Kind.PUT_OBJECT || kind == Kind.DELETE_OBJECT;
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
