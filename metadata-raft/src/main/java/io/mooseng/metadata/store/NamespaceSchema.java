package io.mooseng.metadata.store;

import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.LeasedDirectory;
import io.mooseng.core.model.MultipartUpload;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.ZoneStamp;
import io.mooseng.metadata.codec.BinaryReader;
import io.mooseng.metadata.codec.BinaryWriter;
import io.mooseng.metadata.codec.Codec;
import io.mooseng.metadata.codec.ModelCodec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * The RocksDB schema of the namespace, in one place. Every value starts with a version
 * byte ({@value #VALUE_VERSION}); integers in keys are big-endian so byte order is numeric
 * order; strings are UTF-8; {@code \0} separates strings in keys (keys, bucket names and
 * upload ids never contain it).
 *
 * <pre>
 * column family | key                                            | value
 * --------------+------------------------------------------------+-------------------------------------------
 * buckets       | bucket name                                    | root inode (8), created millis, default class
 * inodes        | inode id (8)                                   | DIR: explicit flag [+ marker manifest]
 *               |                                                | FILE: manifest
 * dentries      | parent inode (8) + sort name                   | child inode (8)
 * subdirs       | directory inode (8)                            | directories among its dentries (8); none: 0
 * uploads       | bucket \0 key \0 upload id                     | initiated millis, properties, storage class
 * parts         | bucket \0 key \0 upload id \0 part number (4)  | PartInfo
 * chunkservers  | chunkserver id                                 | ChunkserverInfo
 * gateways      | gateway id                                     | GatewayInfo
 * blocks        | block id (16)                                  | owner, BlockRef (a copy of the owner's)
 * nodeshards    | chunkserver id \0 block id (16) shard index (4) | the block's parity shard count (a row's shards by node)
 * trash         | bucket \0 inode (8)                            | key, deleted millis (the inode stays in inodes)
 * versions      | bucket \0 key \0 ~sequence (8)                  | noncurrent versions and delete markers, newest first:
 *               |                                                | version id (null: "null"), marker flag, millis
 *               |                                                | (an object version's inode, = sequence, stays in inodes)
 * leases        | "D" bucket \0 directory path ("" = root)       | holder (16)
 *               | "F" holder (16)                                | fence (8): how often its leases were taken
 * synclog       | shard (1) + sequence number (8)                | SyncEntry (only while the cluster is in a zonegroup)
 * stamps        | "O" bucket \0 key                              | ZoneStamp of the delete that removed the key
 *               | "B" bucket                                     | ZoneStamp of the bucket's last change, deleted flag
 * meta          | "applied"                                      | term (8), index (8) of the last applied entry
 *               | "blockcount"                                   | rows in blocks (8)
 *               | "nodeshards"                                   | present once nodeshards is complete (built or rebuilt)
 *               | "subdirs"                                      | present once subdirs is complete (built or rebuilt)
 *               | "maintenance"                                  | MaintenanceReport of the last cycle
 *               | "zone"                                         | SyncState: this zone's name and its zonegroup
 *               | "hlc"                                          | the last hybrid-logical-clock timestamp stamped or seen
 *               | "synchead", "synctrim"                         | per shard: last sequence number, last one trimmed
 *               | "cursor" \0 peer zone                          | per shard: how far this zone's agent applied the peer's log
 *               | "parked" \0 peer zone                          | the peer's changes the agent set aside, with their errors
 * </pre>
 *
 * <p>Every block of every object, part and trashed object is in {@code blocks}, with its owner:
 * an inode (file or trashed file) or a part key. Repair and garbage collection scan it instead
 * of the tree; a shard move updates the row and the owner's manifest in one batch. {@code nodeshards}
 * is the same rows by chunkserver (what a chunkserver should hold, in shard id order, without a
 * scan of the blocks), written in the same batch as every row change.
 *
 * <p>The sort name of a directory entry is the name for a file and name + "/" for a
 * directory. A depth-first scan of dentries therefore yields full keys in unsigned byte
 * order, exactly S3's listing order ("a.txt" &lt; "a/" &lt; "a0"): everything under a
 * directory starts with its name + "/", which sorts where its sort name sorts. A file and a
 * directory of one name are two entries ("b" and "b/"), as S3's keys a/b and a/b/... are. A bucket is a
 * root directory inode; a directory exists while it is explicit (a "dir/" marker key) or has
 * children, so every directory holds at least one key.
 * {@code subdirs} counts the directory entries among each directory's entries (its link count is
 * 2 + that, as in ext4), written with every entry by {@code Dentries}.
 *
 * <p>Inode ids derive from the log index: {@code index << }{@value #INODE_SEQUENCE_BITS}
 * {@code | sequence within the entry}, deterministic on every replica.
 */
public final class NamespaceSchema {
    public static final int VALUE_VERSION = 1;
    public static final int INODE_SEQUENCE_BITS = 16;

    private static final int DIR = 0;
    private static final int FILE = 1;
    private static final byte[] APPLIED_KEY = "applied".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BLOCK_COUNT_KEY = "blockcount".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NODE_SHARDS_BUILT_KEY = "nodeshards".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SUBDIRS_BUILT_KEY = "subdirs".getBytes(StandardCharsets.UTF_8);
    private static final int OWNER_INODE = 0;
    private static final int OWNER_PART = 1;

    /** Column families. RocksDB's mandatory "default" family stays empty. */
    public enum Table {
        BUCKETS, INODES, DENTRIES, UPLOADS, PARTS, CHUNKSERVERS, GATEWAYS, BLOCKS, TRASH, LEASES, SYNCLOG, STAMPS, META, VERSIONS,
        NODESHARDS, SUBDIRS;

        byte[] columnFamilyName() {
            return name().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        }
    }

    private NamespaceSchema() {
    }

    // ---- keys

    static byte[] bucketKey(String name) {
        return utf8(name);
    }

    static String bucketName(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }

    static byte[] inodeKey(long inode) {
        return new BinaryWriter(8).fixed64(inode).toByteArray();
    }

    static byte[] dentryPrefix(long parent) {
        return inodeKey(parent);
    }

    static byte[] dentryKey(long parent, String sortName) {
        return new BinaryWriter(24).fixed64(parent).raw(utf8(sortName)).toByteArray();
    }

    static String dentrySortName(byte[] key) {
        return new String(key, 8, key.length - 8, StandardCharsets.UTF_8);
    }

    static String fileSortName(String name) {
        return name;
    }

    static String dirSortName(String name) {
        return name + "/";
    }

    static byte[] uploadKey(String bucket, String key, String uploadId) {
        return join(bucket, key, uploadId);
    }

    /** Prefix of all uploads in {@code bucket} whose key starts with {@code keyPrefix}. */
    static byte[] uploadPrefix(String bucket, String keyPrefix) {
        return join(bucket, keyPrefix);
    }

    /** Splits an uploads key into bucket, key and upload id. */
    static String[] uploadKeyParts(byte[] k) {
        return new String(k, StandardCharsets.UTF_8).split("\0", 3);
    }

    static byte[] partPrefix(String bucket, String key, String uploadId) {
        return join(bucket, key, uploadId, "");
    }

    static byte[] partKey(String bucket, String key, String uploadId, int partNumber) {
        return new BinaryWriter(64).raw(partPrefix(bucket, key, uploadId)).fixed32(partNumber).toByteArray();
    }

    static byte[] nodeKey(String id) {
        return utf8(id);
    }

    static byte[] appliedKey() {
        return APPLIED_KEY.clone();
    }

    static byte[] blockKey(BlockId id) {
        return new BinaryWriter(16).fixed64(id.hi()).fixed64(id.lo()).toByteArray();
    }

    static byte[] trashPrefix(String bucket) {
        return utf8(bucket + "\0");
    }

    static byte[] trashKey(String bucket, long inode) {
        return new BinaryWriter(32).raw(trashPrefix(bucket)).fixed64(inode).toByteArray();
    }

    static long trashInode(byte[] key) {
        return new BinaryReader(Arrays.copyOfRange(key, key.length - 8, key.length)).fixed64();
    }

    /** Every version row of keys starting with {@code keyPrefix} (of one key: its name + "\0"). */
    static byte[] versionPrefix(String bucket, String keyPrefix) {
        return utf8(bucket + "\0" + keyPrefix);
    }

    /** Newer versions (higher sequence numbers) sort first. */
    static byte[] versionKey(String bucket, String key, long sequence) {
        return new BinaryWriter(64).raw(versionPrefix(bucket, key + "\0")).fixed64(Long.MAX_VALUE - sequence).toByteArray();
    }

    /** The object key of a versions row of {@code bucket}. */
    static String versionObjectKey(byte[] rowKey, String bucket) {
        int skip = utf8(bucket).length + 1;
        return new String(rowKey, skip, rowKey.length - skip - 9, StandardCharsets.UTF_8);
    }

    static long versionSequence(byte[] rowKey) {
        return Long.MAX_VALUE - new BinaryReader(rowKey, rowKey.length - 8, 8).fixed64();
    }

    /** @param stamp the version's stamp where the cluster is a zone (markers and peers' versions), else null */
    static byte[] encodeVersionRow(String versionId, boolean deleteMarker, long millis, ZoneStamp stamp) {
        BinaryWriter w = versioned().nullableString(versionId).bool(deleteMarker).zigzag(millis);
        if (stamp != null) {
            ModelCodec.ZONE_STAMP.write(w, stamp);
        }
        return w.toByteArray();
    }

    // ---- values

    static byte[] encodeBucket(BucketInfo b) {
        BinaryWriter w = versioned().fixed64(b.inode()).zigzag(b.createdMillis());
        ModelCodec.BUCKET_POLICY.write(w, b.policy());
        return w.toByteArray();
    }

    static BucketInfo decodeBucket(String name, byte[] value) {
        BinaryReader r = reader(value);
        return new BucketInfo(name, r.fixed64(), r.zigzag(), ModelCodec.BUCKET_POLICY.read(r));
    }

    /** A block row: who owns the block, and the block as the owner's manifest records it. */
    record BlockRow(BlockOwner owner, BlockRef block) {
    }

    static byte[] encodeBlock(BlockOwner owner, BlockRef block) {
        BinaryWriter w = versioned();
        if (owner instanceof BlockOwner.Inode i) {
            w.u8(OWNER_INODE).fixed64(i.inode());
        } else if (owner instanceof BlockOwner.Part p) {
            w.u8(OWNER_PART).bytes(p.partKey());
        }
        ModelCodec.BLOCK.write(w, block);
        return w.toByteArray();
    }

    static BlockRow decodeBlock(byte[] value) {
        BinaryReader r = reader(value);
        int type = r.u8();
        BlockOwner owner = switch (type) {
            case OWNER_INODE -> new BlockOwner.Inode(r.fixed64());
            case OWNER_PART -> new BlockOwner.Part(r.bytes());
            default -> throw new IllegalStateException("unknown block owner type " + type);
        };
        return new BlockRow(owner, ModelCodec.BLOCK.read(r));
    }

    static byte[] encodeTrash(String key, long deletedMillis) {
        return versioned().string(key).zigzag(deletedMillis).toByteArray();
    }

    /** @return the key and deletion time of a trash row */
    static TrashRow decodeTrash(byte[] value) {
        BinaryReader r = reader(value);
        return new TrashRow(r.string(), r.zigzag());
    }

    record TrashRow(String key, long deletedMillis) {
    }

    static byte[] encodeInode(InodeRecord inode) {
        BinaryWriter w = versioned().u8(inode.directory() ? DIR : FILE);
        if (inode.directory()) {
            w.bool(inode.explicit());
        }
        if (inode.manifest() != null) {
            ModelCodec.MANIFEST.write(w, inode.manifest());
        }
        return w.toByteArray();
    }

    static InodeRecord decodeInode(byte[] value) {
        BinaryReader r = reader(value);
        int type = r.u8();
        if (type == FILE) {
            return InodeRecord.file(ModelCodec.MANIFEST.read(r));
        }
        if (type != DIR) {
            throw new IllegalStateException("unknown inode type " + type);
        }
        return r.bool() ? InodeRecord.explicitDirectory(ModelCodec.MANIFEST.read(r)) : InodeRecord.implicitDirectory();
    }

    static byte[] encodeDentry(long child) {
        return versioned().fixed64(child).toByteArray();
    }

    static long decodeDentry(byte[] value) {
        return reader(value).fixed64();
    }

    static byte[] encodeUpload(MultipartUpload u) {
        BinaryWriter w = versioned();
        ModelCodec.writeUploadState(w, u);
        return w.toByteArray();
    }

    static MultipartUpload decodeUpload(String bucket, String key, String uploadId, byte[] value) {
        return ModelCodec.readUploadState(reader(value), uploadId, bucket, key);
    }

    static byte[] encodePart(PartInfo p) {
        BinaryWriter w = versioned();
        ModelCodec.PART.write(w, p);
        return w.toByteArray();
    }

    static PartInfo decodePart(byte[] value) {
        return ModelCodec.PART.read(reader(value));
    }

    static <T> byte[] encodeNode(Codec<T> codec, T node) {
        BinaryWriter w = versioned();
        codec.write(w, node);
        return w.toByteArray();
    }

    static <T> T decodeNode(Codec<T> codec, byte[] value) {
        return codec.read(reader(value));
    }

    static byte[] blockCountKey() {
        return BLOCK_COUNT_KEY.clone();
    }

    static byte[] nodeShardsBuiltKey() {
        return NODE_SHARDS_BUILT_KEY.clone();
    }

    static byte[] subdirsBuiltKey() {
        return SUBDIRS_BUILT_KEY.clone();
    }

    /** Every nodeshards key of {@code node}. */
    static byte[] nodeShardPrefix(String node) {
        return utf8(node + "\0");
    }

    /** Byte order is shard id order: block id as unsigned 128 bits, then the index. */
    static byte[] nodeShardKey(String node, ShardId shard) {
        return new BinaryWriter(64).raw(nodeShardPrefix(node)).fixed64(shard.block().hi()).fixed64(shard.block().lo())
                .fixed32(shard.index()).toByteArray();
    }

    static ShardId nodeShard(byte[] key) {
        BinaryReader r = new BinaryReader(key, key.length - 20, 20);
        return new ShardId(new BlockId(r.fixed64(), r.fixed64()), r.fixed32());
    }

    static byte[] encodeNodeShard(int parityShards) {
        return versioned().u8(parityShards).toByteArray();
    }

    static int decodeNodeShard(byte[] value) {
        return reader(value).u8();
    }

    static byte[] encodeCount(long n) {
        return versioned().fixed64(n).toByteArray();
    }

    static long decodeCount(byte[] value) {
        return value == null ? 0 : reader(value).fixed64();
    }

    static byte[] encodeApplied(LogPosition p) {
        return versioned().fixed64(p.term()).fixed64(p.index()).toByteArray();
    }

    static LogPosition decodeApplied(byte[] value) {
        BinaryReader r = reader(value);
        return new LogPosition(r.fixed64(), r.fixed64());
    }

    // ---- leases

    private static final byte LEASE = 'D';
    private static final byte FENCE = 'F';

    /** Every lease in a bucket (leaseKey's prefix), or every lease for null. */
    static byte[] leasePrefix(String bucket) {
        return bucket == null ? new byte[]{LEASE} : new BinaryWriter().u8(LEASE).raw(utf8(bucket + "\0")).toByteArray();
    }

    static byte[] leaseKey(LeasedDirectory dir) {
        return new BinaryWriter().u8(LEASE).raw(utf8(dir.bucket() + "\0" + dir.dir())).toByteArray();
    }

    static LeasedDirectory leasedDirectory(byte[] key) {
        String s = new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
        int nul = s.indexOf('\0');
        return new LeasedDirectory(s.substring(0, nul), s.substring(nul + 1));
    }

    static byte[] fenceKey(UUID holder) {
        return new BinaryWriter().u8(FENCE).raw(uuid(holder)).toByteArray();
    }

    static byte[] encodeHolder(UUID holder) {
        return versioned().raw(uuid(holder)).toByteArray();
    }

    static UUID decodeHolder(byte[] value) {
        BinaryReader r = reader(value);
        return new UUID(r.fixed64(), r.fixed64());
    }

    static byte[] encodeFence(long fence) {
        return versioned().fixed64(fence).toByteArray();
    }

    static long decodeFence(byte[] value) {
        return reader(value).fixed64();
    }

    private static byte[] uuid(UUID id) {
        return new BinaryWriter(16).fixed64(id.getMostSignificantBits()).fixed64(id.getLeastSignificantBits()).toByteArray();
    }

    // ---- multisite

    static final byte[] ZONE_KEY = utf8("zone");
    static final byte[] HLC_KEY = utf8("hlc");
    static final byte[] SYNC_HEAD_KEY = utf8("synchead");
    static final byte[] SYNC_TRIM_KEY = utf8("synctrim");
    /** Per shard, the highest HLC of a change made here that every peer has applied (x-amz-replication-status). */
    static final byte[] SYNC_REPLICATED_KEY = utf8("syncreplicated");

    static byte[] cursorKey(String peer) {
        return join("cursor", peer);
    }

    static byte[] antiEntropyKey(String peer) {
        return join("antientropy", peer);
    }

    static final byte[] SYNC_PAUSED_KEY = utf8("syncpaused");

    static byte[] parkedKey(String peer) {
        return join("parked", peer);
    }

    static byte[] syncLogKey(int shard, long seq) {
        return new BinaryWriter(9).u8(shard).fixed64(seq).toByteArray();
    }

    static long syncLogSeq(byte[] key) {
        return new BinaryReader(key, 1, key.length - 1).fixed64();
    }

    static byte[] tombstoneKey(String bucket, String key) {
        return new BinaryWriter().u8('O').raw(join(bucket, key)).toByteArray();
    }

    static byte[] tombstonePrefix(String bucket) {
        return tombstoneKey(bucket, "");
    }

    /** A version removed by id ("V" bucket \0 key \0 version id): a peer's put of it arriving later does not bring it back. */
    static byte[] versionTombstoneKey(String bucket, String key, String versionId) {
        return new BinaryWriter().u8('V').raw(join(bucket, key, versionId)).toByteArray();
    }

    static byte[] versionTombstonePrefix(String bucket) {
        return new BinaryWriter().u8('V').raw(utf8(bucket + "\0")).toByteArray();
    }

    static String tombstoneObjectKey(byte[] key, String bucket) {
        int skip = 1 + utf8(bucket).length + 1;
        return new String(key, skip, key.length - skip, StandardCharsets.UTF_8);
    }

    static byte[] bucketStampKey(String bucket) {
        return new BinaryWriter().u8('B').raw(utf8(bucket)).toByteArray();
    }

    /** An identity's stamp: {@code type} 'U' a user, 'K' an access key. */
    static byte[] identityStampKey(char type, String name) {
        return new BinaryWriter().u8(type).raw(utf8(name)).toByteArray();
    }

    static String nameOfStampKey(byte[] key) {
        return new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
    }

    // ---- users and keys (META)

    static final byte[] IDENTITY_VERSION_KEY = utf8("identity-version");
    static final byte[] CLUSTER_KEY_KEY = utf8("cluster-key");
    static final byte[] IDENTITY_BOOTSTRAPPED_KEY = utf8("identity-bootstrapped");

    static byte[] userKey(String name) {
        return join("user", name);
    }

    static byte[] accessKeyKey(String accessKey) {
        return join("akey", accessKey);
    }

    // ---- bucket notifications (META)

    static final byte[] NOTIFY_SEQUENCE_KEY = utf8("notify-sequence");
    private static final byte[] NOTIFY_EVENT_PREFIX = utf8("nevent\0");

    static byte[] notifyTargetKey(String name) {
        return join("ntarget", name);
    }

    /** Queued events sort by sequence: the prefix, then the sequence big-endian. */
    static byte[] notifyEventKey(long sequence) {
        return new BinaryWriter().raw(NOTIFY_EVENT_PREFIX).fixed64(sequence).toByteArray();
    }

    static boolean isNotifyEventKey(byte[] key) {
        return key.length == NOTIFY_EVENT_PREFIX.length + 8 && startsWith(key, NOTIFY_EVENT_PREFIX);
    }

    static <T> byte[] encode(Codec<T> codec, T value) {
        BinaryWriter w = versioned();
        codec.write(w, value);
        return w.toByteArray();
    }

    static <T> T decode(Codec<T> codec, byte[] value) {
        return codec.read(reader(value));
    }

    // ---- helpers

    static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] join(String... parts) {
        return utf8(String.join("\0", parts));
    }

    private static BinaryWriter versioned() {
        return new BinaryWriter().u8(VALUE_VERSION);
    }

    private static BinaryReader reader(byte[] value) {
        BinaryReader r = new BinaryReader(value);
        int version = r.u8();
        if (version != VALUE_VERSION) {
            throw new IllegalStateException("unsupported value version " + version);
        }
        return r;
    }
}
