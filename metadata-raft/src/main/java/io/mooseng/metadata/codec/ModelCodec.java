package io.mooseng.metadata.codec;

import io.mooseng.core.metadata.ObjectNamespace.StoredObject;

import io.mooseng.core.metadata.ObjectNamespace.CompletedUpload;
import io.mooseng.core.metadata.PosixNamespace.InodeUpdated;
import io.mooseng.core.model.AccessKeyRecord;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.IdentitySnapshot;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.NamespaceChange;
import io.mooseng.core.model.NamespaceChanges;
import io.mooseng.core.model.LeasedDirectory;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.PosixAttributes;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.DamagedBlock;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.NotificationEvent;
import io.mooseng.core.model.NotificationRule;
import io.mooseng.core.model.NotifyTarget;
import io.mooseng.core.model.LifecycleRule;
import io.mooseng.core.model.MaintenanceReport;
import io.mooseng.core.model.QueuedShards;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.ShardMove;
import io.mooseng.core.model.TrashEntry;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.GatewayInfo;
import io.mooseng.core.model.MountInfo;
import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.CorsRule;
import io.mooseng.core.model.ListPage;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.MultipartUpload;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectVersion;
import io.mooseng.core.model.VersionDeleted;
import io.mooseng.core.model.VersionListPage;
import io.mooseng.core.model.VersionListRequest;
import io.mooseng.core.model.Versioning;
import io.mooseng.core.model.MultipartOrigin;
import io.mooseng.core.checksum.ChecksumAlgorithm;
import io.mooseng.core.checksum.ChecksumType;
import io.mooseng.core.model.ObjectChecksum;
import io.mooseng.core.model.ObjectEncryption;
import io.mooseng.core.model.UploadChecksum;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectLock;
import io.mooseng.core.model.ObjectLockConfig;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.ObjectSummary;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.WriteCondition;
import io.mooseng.core.model.RemoteApplied;
import io.mooseng.core.model.SyncRule;
import io.mooseng.core.model.ParkedChange;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.SyncLogPage;
import io.mooseng.core.model.SyncState;
import io.mooseng.core.model.ZoneStamp;
import io.mooseng.core.model.UserAccount;
import io.mooseng.core.model.Zonegroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Binary codecs of cluster-core's model records, shared by the Raft log, replies and
 * RocksDB values. Field order is the format: append new fields at the end and bump the
 * version byte of the enclosing message or value, never reorder.
 */
public final class ModelCodec {
    private ModelCodec() {
    }

    public static final Codec<Void> NONE = Codec.of((w, v) -> { }, r -> null);

    public static final Codec<Boolean> BOOLEAN = Codec.of(BinaryWriter::bool, BinaryReader::bool);

    public static final Codec<String> STRING = Codec.of(BinaryWriter::string, BinaryReader::string);

    public static final Codec<StorageClass> STORAGE_CLASS = Codec.of(ModelCodec::writeStorageClass, ModelCodec::readStorageClass);

    /**
     * The byte before the properties, once only the content type's presence: bit 0 a content type
     * follows, bit 1 a tag set follows the user metadata, bit 2 an object lock follows last (older values have
     * neither).
     */
    private static final int WITH_CONTENT_TYPE = 1;
    private static final int WITH_TAGS = 2;
    private static final int WITH_LOCK = 4;

    /** A lock mode as a byte: 0 none, then the modes' ordinals + 1. */
    private static void writeLockMode(BinaryWriter w, ObjectLock.Mode mode) {
        w.u8(mode == null ? 0 : mode.ordinal() + 1);
    }

    private static ObjectLock.Mode readLockMode(BinaryReader r) {
        int mode = r.u8();
        return mode == 0 ? null : ObjectLock.Mode.values()[mode - 1];
    }

    /** An object lock retention mode, or null. */
    public static final Codec<ObjectLock.Mode> LOCK_MODE = Codec.of(ModelCodec::writeLockMode, ModelCodec::readLockMode);

    public static final Codec<ObjectProperties> PROPERTIES = Codec.of((w, p) -> {
        w.u8((p.contentType() != null ? WITH_CONTENT_TYPE : 0) | (p.tags().isEmpty() ? 0 : WITH_TAGS) | (p.lock().none() ? 0 : WITH_LOCK));
        if (p.contentType() != null) {
            w.string(p.contentType());
        }
        writeMap(w, p.contentHeaders());
        writeMap(w, p.userMetadata());
        if (!p.tags().isEmpty()) {
            writeMap(w, p.tags());
        }
        if (!p.lock().none()) {
            writeLockMode(w, p.lock().mode());
            w.zigzag(p.lock().retainUntilMillis()).bool(p.lock().legalHold());
        }
    }, r -> {
        int flags = r.u8();
        if (flags > (WITH_CONTENT_TYPE | WITH_TAGS | WITH_LOCK)) {
            throw new IllegalArgumentException("bad properties flags " + flags);
        }
        String contentType = (flags & WITH_CONTENT_TYPE) != 0 ? r.string() : null;
        Map<String, String> contentHeaders = readMap(r);
        Map<String, String> userMetadata = readMap(r);
        Map<String, String> tags = (flags & WITH_TAGS) != 0 ? readMap(r) : Map.of();
        ObjectLock lock = (flags & WITH_LOCK) != 0 ? new ObjectLock(readLockMode(r), r.zigzag(), r.bool()) : ObjectLock.NONE;
        return new ObjectProperties(contentType, contentHeaders, userMetadata, tags, lock);
    });

    /** Flag bits, then the ETag for If-Match. */
    public static final Codec<WriteCondition> WRITE_CONDITION = Codec.of((w, c) -> {
        w.u8((c.ifAbsent() ? 1 : 0) | (c.ifMatch() != null ? 2 : 0));
        if (c.ifMatch() != null) {
            w.string(c.ifMatch());
        }
    }, r -> {
        int flags = r.u8();
        return new WriteCondition((flags & 2) != 0 ? r.string() : null, (flags & 1) != 0);
    });

    public static final Codec<BlockRef> BLOCK = Codec.of((w, b) -> {
        w.fixed64(b.id().hi()).fixed64(b.id().lo()).varLong(b.length());
        writeStorageClass(w, b.storageClass());
        w.varLong(b.shardSize());
        for (int i = 0; i < b.shardNodes().size(); i++) {
            w.string(b.shardNodes().get(i)).fixed32(b.shardCrcs().get(i));
        }
    }, r -> {
        BlockId id = new BlockId(r.fixed64(), r.fixed64());
        long length = r.varLong();
        StorageClass sc = readStorageClass(r);
        int shardSize = r.varInt();
        List<String> nodes = new ArrayList<>(sc.shardCount());
        List<Integer> crcs = new ArrayList<>(sc.shardCount());
        for (int i = 0; i < sc.shardCount(); i++) {
            nodes.add(r.string());
            crcs.add(r.fixed32());
        }
        return new BlockRef(id, length, sc, shardSize, nodes, crcs);
    });

    private static final Codec<List<BlockRef>> BLOCKS = BLOCK.list();

    private static final Codec<Integer> INT = Codec.of((w, v) -> w.zigzag(v), r -> (int) r.zigzag());
    public static final Codec<Long> LONG = Codec.of((w, v) -> w.zigzag(v), r -> r.zigzag());
    private static final Codec<List<Long>> SIZES = Codec.<Long>of(BinaryWriter::varLong, BinaryReader::varLong).list();

    public static final Codec<UUID> UUID_CODEC = Codec.of((w, id) -> w.fixed64(id.getMostSignificantBits()).fixed64(id.getLeastSignificantBits()),
            r -> new UUID(r.fixed64(), r.fixed64()));

    public static final Codec<List<UUID>> UUIDS = UUID_CODEC.list();

    private static final Codec<LeasedDirectory> LEASED_DIRECTORY = Codec.of((w, d) -> w.string(d.bucket()).string(d.dir()),
            r -> new LeasedDirectory(r.string(), r.string()));

    /** Set above st_mode's bits when a device number follows the attributes (older values have none). */
    private static final long MODE_WITH_RDEV = 1L << 32;

    public static final Codec<PosixAttributes> POSIX = Codec.of((w, p) -> {
        w.varLong(p.rdev() != 0 ? p.mode() | MODE_WITH_RDEV : p.mode()).zigzag(p.uid()).zigzag(p.gid()).varLong(p.nlink())
                .zigzag(p.ctimeMillis()).zigzag(p.atimeMillis());
        if (p.rdev() != 0) {
            w.varLong(Integer.toUnsignedLong(p.rdev()));
        }
    }, r -> {
        long mode = r.varLong();
        PosixAttributes p = new PosixAttributes((int) mode, (int) r.zigzag(), (int) r.zigzag(), r.varInt(), r.zigzag(), r.zigzag());
        return (mode & MODE_WITH_RDEV) == 0 ? p : p.withDevice((int) r.varLong());
    });

    private static final Codec<MultipartOrigin> MULTIPART = Codec.of((w, m) -> {
        w.string(m.uploadId());
        SIZES.write(w, m.partSizes());
    }, r -> new MultipartOrigin(r.string(), SIZES.read(r)));

    /**
     * The manifest's flag byte: bit 0 the class is pinned, bit 1 a multipart origin follows the POSIX attributes, bit 2 a zone
     * stamp follows that, bit 3 how the content is encrypted follows, bit 4 the multipart origin's first chunk per part
     * follows, bit 5 the content's checksum follows, bit 6 the multipart origin's part checksums follow, bit 7 the S3
     * version id follows last (older values have none of these).
     */
    private static final int CLASS_PINNED = 1;
    private static final int FROM_MULTIPART = 2;
    private static final int STAMPED = 4;
    private static final int ENCRYPTED = 8;
    private static final int PART_CHUNKS = 16;
    private static final int CHECKSUMMED = 32;
    private static final int PART_CHECKSUMS = 64;

    /** Explicit codes, not ordinals, for the checksum algorithms and types: the enums may gain values in any order. */
    private static final List<ChecksumAlgorithm> CHECKSUM_ALGORITHMS = List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C,
            ChecksumAlgorithm.CRC64NVME, ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256);
    private static final List<ChecksumType> CHECKSUM_TYPES = List.of(ChecksumType.FULL_OBJECT, ChecksumType.COMPOSITE);

    public static final Codec<UploadChecksum> UPLOAD_CHECKSUM = Codec.of(
            (w, c) -> w.u8(CHECKSUM_ALGORITHMS.indexOf(c.algorithm())).u8(CHECKSUM_TYPES.indexOf(c.type())),
            r -> new UploadChecksum(CHECKSUM_ALGORITHMS.get(r.u8()), CHECKSUM_TYPES.get(r.u8())));

    /** Algorithm, type, value and (composite) part count. */
    public static final Codec<ObjectChecksum> CHECKSUM = Codec.of((w, c) -> {
        w.u8(CHECKSUM_ALGORITHMS.indexOf(c.algorithm())).u8(CHECKSUM_TYPES.indexOf(c.type())).bytes(c.value()).varLong(c.partCount());
    }, r -> new ObjectChecksum(CHECKSUM_ALGORITHMS.get(r.u8()), CHECKSUM_TYPES.get(r.u8()), r.bytes(), r.varInt()));
    private static final int VERSIONED = 128;

    private static final Codec<List<Long>> CHUNK_INDEXES = Codec.<Long>of(BinaryWriter::fixed64, BinaryReader::fixed64).list();

    public static final Codec<ObjectEncryption> ENCRYPTION = Codec.of((w, e) -> w.u8(e.mode().ordinal()).bytes(e.salt())
                    .bytes(e.wrappedKey()).nullableString(e.customerKeyMd5()),
            r -> new ObjectEncryption(ObjectEncryption.Mode.values()[r.u8()], r.bytes(), r.bytes(), r.nullableString()));

    public static final Codec<ZoneStamp> ZONE_STAMP = Codec.of((w, s) -> w.fixed64(s.hlc()).string(s.zone()),
            r -> new ZoneStamp(r.fixed64(), r.string()));

    public static final Codec<ObjectManifest> MANIFEST = Codec.of((w, m) -> {
        w.varLong(m.size()).string(m.etag()).zigzag(m.mtimeMillis());
        PROPERTIES.write(w, m.properties());
        writeStorageClass(w, m.storageClass());
        BLOCKS.write(w, m.blocks());
        w.nullableBytes(m.inlineData()).u8((m.classPinned() ? CLASS_PINNED : 0) | (m.multipart() != null ? FROM_MULTIPART : 0)
                | (m.stamp() != null ? STAMPED : 0) | (m.encryption() != null ? ENCRYPTED : 0) | (partChunks(m) ? PART_CHUNKS : 0)
                | (m.checksum() != null ? CHECKSUMMED : 0) | (partChecksums(m) ? PART_CHECKSUMS : 0)
                | (m.versionId() != null ? VERSIONED : 0));
        POSIX.nullable().write(w, m.posix());
        if (m.multipart() != null) {
            MULTIPART.write(w, m.multipart());
        }
        if (m.stamp() != null) {
            ZONE_STAMP.write(w, m.stamp());
        }
        if (m.encryption() != null) {
            ENCRYPTION.write(w, m.encryption());
        }
        if (partChunks(m)) {
            CHUNK_INDEXES.write(w, m.multipart().firstChunks());
        }
        if (m.checksum() != null) {
            CHECKSUM.write(w, m.checksum());
        }
        if (partChecksums(m)) {
            CHECKSUM.list().write(w, m.multipart().partChecksums());
        }
        if (m.versionId() != null) {
            w.string(m.versionId());
        }
    }, r -> {
        long size = r.varLong();
        String etag = r.string();
        long mtime = r.zigzag();
        ObjectProperties properties = PROPERTIES.read(r);
        StorageClass storageClass = readStorageClass(r);
        List<BlockRef> blocks = BLOCKS.read(r);
        byte[] inline = r.nullableBytes();
        int flags = r.u8();
        PosixAttributes posix = POSIX.nullable().read(r);
        MultipartOrigin multipart = (flags & FROM_MULTIPART) != 0 ? MULTIPART.read(r) : null;
        ZoneStamp stamp = (flags & STAMPED) != 0 ? ZONE_STAMP.read(r) : null;
        ObjectEncryption encryption = (flags & ENCRYPTED) != 0 ? ENCRYPTION.read(r) : null;
        if ((flags & PART_CHUNKS) != 0) {
            multipart = new MultipartOrigin(multipart.uploadId(), multipart.partSizes(), CHUNK_INDEXES.read(r));
        }
        ObjectChecksum checksum = (flags & CHECKSUMMED) != 0 ? CHECKSUM.read(r) : null;
        if ((flags & PART_CHECKSUMS) != 0) {
            multipart = new MultipartOrigin(multipart.uploadId(), multipart.partSizes(), multipart.firstChunks(), CHECKSUM.list().read(r));
        }
        String versionId = (flags & VERSIONED) != 0 ? r.string() : null;
        return new ObjectManifest(size, etag, mtime, properties, storageClass, blocks, inline, (flags & CLASS_PINNED) != 0, posix, multipart,
                stamp, encryption, checksum, versionId);
    });

    private static boolean partChecksums(ObjectManifest m) {
        return m.multipart() != null && !m.multipart().partChecksums().isEmpty();
    }

    private static boolean partChunks(ObjectManifest m) {
        return m.multipart() != null && !m.multipart().firstChunks().isEmpty();
    }

    /** A directory's count of subdirectories follows its manifest (a file has none). */
    public static final Codec<NamespaceEntry> ENTRY = Codec.of((w, e) -> {
        w.string(e.name()).fixed64(e.inode()).bool(e.directory());
        MANIFEST.nullable().write(w, e.manifest());
        if (e.directory()) {
            w.varLong(e.subdirectories());
        }
    }, r -> {
        String name = r.string();
        long inode = r.fixed64();
        boolean directory = r.bool();
        ObjectManifest manifest = MANIFEST.nullable().read(r);
        return new NamespaceEntry(name, inode, directory, manifest, directory ? (int) r.varLong() : 0);
    });

    public static final Codec<List<NamespaceEntry>> ENTRIES = ENTRY.list();

    public static final Codec<InodeUpdated> INODE_UPDATED = Codec.of((w, u) -> {
        MANIFEST.write(w, u.manifest());
        BLOCKS.write(w, u.freed());
    }, r -> new InodeUpdated(MANIFEST.read(r), BLOCKS.read(r)));

    public static final Codec<InodeUpdate> INODE_UPDATE = Codec.of((w, u) -> {
        MANIFEST.nullable().write(w, u.content());
        INT.nullable().write(w, u.permissions());
        INT.nullable().write(w, u.uid());
        INT.nullable().write(w, u.gid());
        LONG.nullable().write(w, u.mtimeMillis());
        LONG.nullable().write(w, u.atimeMillis());
        w.bool(u.userMetadata() != null);
        if (u.userMetadata() != null) {
            w.varLong(u.userMetadata().size());
            u.userMetadata().forEach((k, v) -> w.string(k).nullableString(v));
        }
        w.zigzag(u.changedMillis());
        w.varLong(u.keptBlocks().size());
        u.keptBlocks().forEach(w::varLong);
    }, r -> {
        ObjectManifest content = MANIFEST.nullable().read(r);
        Integer permissions = INT.nullable().read(r);
        Integer uid = INT.nullable().read(r);
        Integer gid = INT.nullable().read(r);
        Long mtime = LONG.nullable().read(r);
        Long atime = LONG.nullable().read(r);
        Map<String, String> meta = null;
        if (r.bool()) {
            meta = new TreeMap<>();
            int n = r.varInt();
            for (int i = 0; i < n; i++) {
                meta.put(r.string(), r.nullableString());
            }
        }
        long changed = r.zigzag();
        List<Integer> kept = new ArrayList<>();
        for (int n = r.varInt(); n > 0; n--) {
            kept.add(r.varInt());
        }
        return new InodeUpdate(content, permissions, uid, gid, mtime, atime, meta, changed, kept);
    });

    public static final Codec<ObjectInfo> OBJECT = Codec.of((w, o) -> {
        w.string(o.bucket()).string(o.key()).fixed64(o.inode());
        MANIFEST.write(w, o.manifest());
    }, r -> new ObjectInfo(r.string(), r.string(), r.fixed64(), MANIFEST.read(r)));

    public static final Codec<Optional<ObjectInfo>> OPTIONAL_OBJECT = OBJECT.optional();

    public static final Codec<StoredObject> STORED_OBJECT = Codec.of((w, s) -> {
        OBJECT.write(w, s.object());
        OPTIONAL_OBJECT.write(w, s.replaced());
    }, r -> new StoredObject(OBJECT.read(r), OPTIONAL_OBJECT.read(r)));

    public static final Codec<ObjectVersion> OBJECT_VERSION = Codec.of((w, v) -> {
        w.string(v.key()).string(v.versionId()).bool(v.latest()).zigzag(v.mtimeMillis());
        OBJECT.nullable().write(w, v.object());
    }, r -> new ObjectVersion(r.string(), r.string(), r.bool(), r.zigzag(), OBJECT.nullable().read(r)));

    public static final Codec<VersionDeleted> VERSION_DELETED = Codec.of((w, d) -> {
        w.nullableString(d.versionId()).bool(d.deleteMarker());
        OPTIONAL_OBJECT.write(w, d.freed());
    }, r -> new VersionDeleted(r.nullableString(), r.bool(), OPTIONAL_OBJECT.read(r)));

    public static final Codec<VersionListRequest> VERSION_LIST_REQUEST = Codec.of((w, q) -> w.string(q.prefix()).nullableString(q.delimiter())
            .nullableString(q.keyMarker()).nullableString(q.versionIdMarker()).varLong(q.maxKeys()),
            r -> new VersionListRequest(r.string(), r.nullableString(), r.nullableString(), r.nullableString(), r.varInt()));

    public static final Codec<VersionListPage> VERSION_LIST_PAGE = Codec.of((w, p) -> {
        OBJECT_VERSION.list().write(w, p.versions());
        ModelCodec.STRINGS.write(w, p.commonPrefixes());
        w.bool(p.truncated()).nullableString(p.nextKeyMarker()).nullableString(p.nextVersionIdMarker());
    }, r -> new VersionListPage(OBJECT_VERSION.list().read(r), ModelCodec.STRINGS.read(r), r.bool(), r.nullableString(), r.nullableString()));

    /**
     * The policy's byte once only the cold class's presence: bit 0 a cold class follows, bit 1
     * a tag set, bit 2 CORS rules, bit 3 a multisite sync rule other than "everything, everywhere", bit 4 an S3 bucket
     * policy document, bit 5 a default server-side encryption, bit 6 an object ownership setting, bit 7 a second flags
     * byte follows the first: its bit 0 notification rules, bit 1 a versioning state (one byte: its ordinal) other than never
     * versioned, bit 2 lifecycle rules, bit 3 an object lock configuration, bit 5 the sync rule's tag filter, in that order (older values have none of what
     * they do not flag).
     */
    private static final int WITH_COLD_CLASS = 1;
    private static final int WITH_BUCKET_TAGS = 2;
    private static final int WITH_CORS = 4;
    private static final int WITH_SYNC_RULE = 8;
    private static final int WITH_ACCESS_POLICY = 16;
    private static final int WITH_DEFAULT_ENCRYPTION = 32;
    private static final int WITH_OBJECT_OWNERSHIP = 64;
    private static final int WITH_MORE_FLAGS = 128;
    /** Bits of the second flags byte. */
    private static final int WITH_NOTIFICATIONS = 1;
    private static final int WITH_VERSIONING = 2;
    private static final int WITH_LIFECYCLE = 4;
    private static final int WITH_OBJECT_LOCK = 8;
    /** Bit 5 of the second flags byte: the sync rule's tag filter follows, last (bit 4: noncurrent transitions). */
    private static final int WITH_SYNC_TAGS = 32;
    /** Each lifecycle rule's noncurrent version transitions, in rule order, after the object lock's fields. */
    private static final int WITH_NONCURRENT_TRANSITIONS = 16;

    private static final Codec<List<String>> STRINGS = STRING.list();

    private static final Codec<List<CorsRule>> CORS_RULES = Codec.<CorsRule>of((w, c) -> {
        w.nullableString(c.id());
        STRINGS.write(w, c.allowedOrigins());
        STRINGS.write(w, c.allowedMethods());
        STRINGS.write(w, c.allowedHeaders());
        STRINGS.write(w, c.exposeHeaders());
        w.zigzag(c.maxAgeSeconds());
    }, r -> new CorsRule(r.nullableString(), STRINGS.read(r), STRINGS.read(r), STRINGS.read(r), STRINGS.read(r), (int) r.zigzag())).list();

    private static final Codec<List<NotificationRule>> NOTIFICATION_RULES = Codec.<NotificationRule>of((w, n) -> {
        w.string(n.id()).string(n.target());
        STRINGS.write(w, n.events());
        w.string(n.prefix()).string(n.suffix());
    }, r -> new NotificationRule(r.string(), r.string(), STRINGS.read(r), r.string(), r.string())).list();

    /** Day counts and dates are zigzag so that {@link LifecycleRule#NONE} (-1) costs one byte. */
    private static final Codec<LifecycleRule.Transition> LIFECYCLE_TRANSITION = Codec.of((w, t) -> {
        w.zigzag(t.days()).zigzag(t.dateMillis());
        writeStorageClass(w, t.storageClass());
    }, r -> new LifecycleRule.Transition((int) r.zigzag(), r.zigzag(), readStorageClass(r)));

    private static final Codec<List<LifecycleRule>> LIFECYCLE_RULES = Codec.<LifecycleRule>of((w, l) -> {
        w.string(l.id()).bool(l.enabled()).string(l.filter().prefix());
        writeMap(w, l.filter().tags());
        w.zigzag(l.filter().sizeGreaterThan()).zigzag(l.filter().sizeLessThan())
                .zigzag(l.expirationDays()).zigzag(l.expirationDateMillis()).bool(l.expiredObjectDeleteMarker())
                .zigzag(l.noncurrentDays()).zigzag(l.newerNoncurrentVersions()).zigzag(l.abortUploadDays());
        LIFECYCLE_TRANSITION.list().write(w, l.transitions());
    }, r -> new LifecycleRule(r.string(), r.bool(), new LifecycleRule.Filter(r.string(), readMap(r), r.zigzag(), r.zigzag()),
            (int) r.zigzag(), r.zigzag(), r.bool(), (int) r.zigzag(), (int) r.zigzag(), (int) r.zigzag(),
            LIFECYCLE_TRANSITION.list().read(r))).list();

    private static final Codec<List<LifecycleRule.NoncurrentTransition>> NONCURRENT_TRANSITIONS = Codec.<LifecycleRule.NoncurrentTransition>of(
            (w, t) -> {
                w.varLong(t.noncurrentDays()).varLong(t.newerNoncurrentVersions());
                writeStorageClass(w, t.storageClass());
            }, r -> new LifecycleRule.NoncurrentTransition(r.varInt(), r.varInt(), readStorageClass(r))).list();

    private static boolean anyNoncurrentTransition(BucketPolicy p) {
        return p.lifecycle().stream().anyMatch(l -> !l.noncurrentTransitions().isEmpty());
    }

    public static final Codec<NotifyTarget> NOTIFY_TARGET = Codec.of((w, t) -> w.string(t.name()).string(t.url()),
            r -> new NotifyTarget(r.string(), r.string()));
    public static final Codec<List<NotifyTarget>> NOTIFY_TARGETS = NOTIFY_TARGET.list();

    public static final Codec<NotificationEvent> NOTIFICATION_EVENT = Codec.of((w, e) -> w.varLong(e.sequence()).string(e.target())
                    .string(e.ruleId()).string(e.eventName()).string(e.bucket()).string(e.key()).varLong(e.size()).string(e.etag())
                    .zigzag(e.timeMillis()),
            r -> new NotificationEvent(r.varLong(), r.string(), r.string(), r.string(), r.string(), r.string(), r.varLong(), r.string(),
                    r.zigzag()));
    public static final Codec<List<NotificationEvent>> NOTIFICATION_EVENTS = NOTIFICATION_EVENT.list();

    private static int moreFlags(BucketPolicy p) {
        return (p.notifications().isEmpty() ? 0 : WITH_NOTIFICATIONS) | (p.versioning() == Versioning.UNVERSIONED ? 0 : WITH_VERSIONING)
                | (p.lifecycle().isEmpty() ? 0 : WITH_LIFECYCLE)
                | (p.objectLock() == null ? 0 : WITH_OBJECT_LOCK) | (anyNoncurrentTransition(p) ? WITH_NONCURRENT_TRANSITIONS : 0)
                | (p.syncRule().tags().isEmpty() ? 0 : WITH_SYNC_TAGS);
    }

    public static final Codec<BucketPolicy> BUCKET_POLICY = Codec.of((w, p) -> {
        writeStorageClass(w, p.defaultClass());
        w.varLong(p.prefixClasses().size());
        p.prefixClasses().forEach((prefix, c) -> {
            w.string(prefix);
            writeStorageClass(w, c);
        });
        w.zigzag(p.trashRetentionMillis()).varLong(p.coldAfterMillis())
                .u8((p.coldClass() != null ? WITH_COLD_CLASS : 0) | (p.tags().isEmpty() ? 0 : WITH_BUCKET_TAGS)
                        | (p.corsRules().isEmpty() ? 0 : WITH_CORS) | (p.syncRule().equals(SyncRule.ALL) ? 0 : WITH_SYNC_RULE)
                        | (p.accessPolicy() == null ? 0 : WITH_ACCESS_POLICY) | (p.defaultEncryption() == null ? 0 : WITH_DEFAULT_ENCRYPTION)
                        | (p.objectOwnership() == null ? 0 : WITH_OBJECT_OWNERSHIP) | (moreFlags(p) == 0 ? 0 : WITH_MORE_FLAGS));
        if (moreFlags(p) != 0) {
            w.u8(moreFlags(p));
        }
        if (p.coldClass() != null) {
            writeStorageClass(w, p.coldClass());
        }
        if (!p.tags().isEmpty()) {
            writeMap(w, p.tags());
        }
        if (!p.corsRules().isEmpty()) {
            CORS_RULES.write(w, p.corsRules());
        }
        if (!p.syncRule().equals(SyncRule.ALL)) {
            w.bool(p.syncRule().enabled());
            STRINGS.write(w, p.syncRule().zones());
            w.string(p.syncRule().source());
            STRINGS.write(w, p.syncRule().prefixes());
        }
        if (p.accessPolicy() != null) {
            w.string(p.accessPolicy());
        }
        if (p.defaultEncryption() != null) {
            w.string(p.defaultEncryption());
        }
        if (p.objectOwnership() != null) {
            w.string(p.objectOwnership());
        }
        if (!p.notifications().isEmpty()) {
            NOTIFICATION_RULES.write(w, p.notifications());
        }
        if (p.versioning() != Versioning.UNVERSIONED) {
            w.u8(p.versioning().ordinal());
        }
        if (!p.lifecycle().isEmpty()) {
            LIFECYCLE_RULES.write(w, p.lifecycle());
        }
        if (p.objectLock() != null) {
            writeLockMode(w, p.objectLock().defaultMode());
            w.varLong(p.objectLock().days()).varLong(p.objectLock().years());
        }
        if (anyNoncurrentTransition(p)) {
            p.lifecycle().forEach(l -> NONCURRENT_TRANSITIONS.write(w, l.noncurrentTransitions()));
        }
        if (!p.syncRule().tags().isEmpty()) {
            writeMap(w, p.syncRule().tags());
        }
    }, r -> {
        StorageClass defaultClass = readStorageClass(r);
        int n = r.varInt();
        Map<String, StorageClass> rules = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            rules.put(r.string(), readStorageClass(r));
        }
        long trash = r.zigzag();
        long coldAfter = r.varLong();
        int flags = r.u8();
        if (flags > (WITH_COLD_CLASS | WITH_BUCKET_TAGS | WITH_CORS | WITH_SYNC_RULE | WITH_ACCESS_POLICY | WITH_DEFAULT_ENCRYPTION
                | WITH_OBJECT_OWNERSHIP | WITH_MORE_FLAGS)) {
            throw new IllegalArgumentException("bad bucket policy flags " + flags);
        }
        int more = (flags & WITH_MORE_FLAGS) != 0 ? r.u8() : 0;
        StorageClass cold = (flags & WITH_COLD_CLASS) != 0 ? readStorageClass(r) : null;
        Map<String, String> tags = (flags & WITH_BUCKET_TAGS) != 0 ? readMap(r) : Map.of();
        List<CorsRule> cors = (flags & WITH_CORS) != 0 ? CORS_RULES.read(r) : List.of();
        SyncRule sync = (flags & WITH_SYNC_RULE) != 0
                ? new SyncRule(r.bool(), STRINGS.read(r), r.string(), STRINGS.read(r)) : SyncRule.ALL;
        String accessPolicy = (flags & WITH_ACCESS_POLICY) != 0 ? r.string() : null;
        String defaultEncryption = (flags & WITH_DEFAULT_ENCRYPTION) != 0 ? r.string() : null;
        String objectOwnership = (flags & WITH_OBJECT_OWNERSHIP) != 0 ? r.string() : null;
        List<NotificationRule> notifications = (more & WITH_NOTIFICATIONS) != 0 ? NOTIFICATION_RULES.read(r) : List.of();
        Versioning versioning = (more & WITH_VERSIONING) != 0 ? Versioning.values()[r.u8()] : Versioning.UNVERSIONED;
        List<LifecycleRule> lifecycle = (more & WITH_LIFECYCLE) != 0 ? LIFECYCLE_RULES.read(r) : List.of();
        ObjectLockConfig objectLock = (more & WITH_OBJECT_LOCK) != 0 ? new ObjectLockConfig(readLockMode(r), r.varInt(), r.varInt()) : null;
        if ((more & WITH_NONCURRENT_TRANSITIONS) != 0) {
            List<LifecycleRule> withTransitions = new ArrayList<>(lifecycle.size());
            for (LifecycleRule l : lifecycle) {
                withTransitions.add(l.withNoncurrentTransitions(NONCURRENT_TRANSITIONS.read(r)));
            }
            lifecycle = withTransitions;
        }
        if ((more & WITH_SYNC_TAGS) != 0) {
            sync = new SyncRule(sync.enabled(), sync.zones(), sync.source(), sync.prefixes(), readMap(r));
        }
        return new BucketPolicy(defaultClass, rules, trash, coldAfter, cold, tags, cors, sync, accessPolicy, defaultEncryption, objectOwnership,
                notifications, versioning, lifecycle, objectLock);
    });

    public static final Codec<BucketInfo> BUCKET = Codec.of((w, b) -> {
        w.string(b.name()).fixed64(b.inode()).zigzag(b.createdMillis());
        BUCKET_POLICY.write(w, b.policy());
    }, r -> new BucketInfo(r.string(), r.fixed64(), r.zigzag(), BUCKET_POLICY.read(r)));

    public static final Codec<List<BucketInfo>> BUCKETS = BUCKET.list();

    // ---- multisite

    /** Set in the kind's byte when the object's tags follow the payload (entries written before tags have none). */
    private static final int ENTRY_WITH_TAGS = 0x80;
    /** Set in the kind's byte when a version id follows (and the tags, if any). */
    private static final int ENTRY_WITH_VERSION = 0x40;

    /** A log entry; an access key's clear secret ({@link SyncEntry#secret}) is never written. */
    public static final Codec<SyncEntry> SYNC_ENTRY = Codec.of((w, e) -> {
        int flags = (e.tags().isEmpty() ? 0 : ENTRY_WITH_TAGS) | (e.versionId() == null ? 0 : ENTRY_WITH_VERSION);
        w.u8(e.shard()).varLong(e.seq()).u8(e.kind().ordinal() | flags).string(e.bucket()).string(e.key());
        ZONE_STAMP.write(w, e.stamp());
        STRINGS.write(w, e.seen());
        w.varLong(e.size()).string(e.etag()).bool(e.inline()).bytes(e.payload());
        if (!e.tags().isEmpty()) {
            writeMap(w, e.tags());
        }
        if (e.versionId() != null) {
            w.string(e.versionId());
        }
    }, r -> {
        int shard = r.u8();
        long seq = r.varLong();
        int kind = r.u8();
        SyncEntry e = new SyncEntry(shard, seq, SyncEntry.Kind.values()[kind & ~(ENTRY_WITH_TAGS | ENTRY_WITH_VERSION)], r.string(), r.string(),
                ZONE_STAMP.read(r), STRINGS.read(r), r.varLong(), r.string(), r.bool(), r.bytes());
        Map<String, String> tags = (kind & ENTRY_WITH_TAGS) == 0 ? Map.of() : readMap(r);
        String versionId = (kind & ENTRY_WITH_VERSION) == 0 ? null : r.string();
        return new SyncEntry(e.shard(), e.seq(), e.kind(), e.bucket(), e.key(), e.stamp(), e.seen(), e.size(), e.etag(), e.inline(),
                e.payload(), tags, null, versionId);
    });

    public static final Codec<List<SyncEntry>> SYNC_ENTRIES = SYNC_ENTRY.list();

    public static final Codec<List<ParkedChange>> PARKED = Codec.<ParkedChange>of((w, p) -> {
        SYNC_ENTRY.write(w, p.entry());
        w.string(p.error()).zigzag(p.sinceMillis());
    }, r -> new ParkedChange(SYNC_ENTRY.read(r), r.string(), r.zigzag())).list();

    public static final Codec<SyncLogPage> SYNC_LOG_PAGE = Codec.of((w, p) -> {
        SYNC_ENTRIES.write(w, p.entries());
        w.varLong(p.head()).bool(p.trimmed());
    }, r -> new SyncLogPage(SYNC_ENTRIES.read(r), r.varLong(), r.bool()));

    public static final Codec<io.mooseng.core.model.SyncDigest> SYNC_DIGEST = Codec.of((w, d) -> {
        for (int i = 0; i < io.mooseng.core.model.SyncDigest.CHILDREN; i++) {
            w.fixed64(d.hashes()[i]).varLong(d.counts()[i]);
        }
        SYNC_ENTRIES.write(w, d.entries());
        w.nullableString(d.next());
    }, r -> {
        long[] hashes = new long[io.mooseng.core.model.SyncDigest.CHILDREN];
        long[] counts = new long[hashes.length];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = r.fixed64();
            counts[i] = r.varLong();
        }
        return new io.mooseng.core.model.SyncDigest(hashes, counts, SYNC_ENTRIES.read(r), r.nullableString());
    });

    public static final Codec<io.mooseng.core.model.AntiEntropyRun> ANTI_ENTROPY_RUN = Codec.of((w, a) ->
            w.zigzag(a.finishedMillis()).varLong(a.ranges()).varLong(a.repaired()).nullableString(a.error()),
            r -> new io.mooseng.core.model.AntiEntropyRun(r.zigzag(), r.varLong(), r.varLong(), r.nullableString()));

    private static final Codec<Zonegroup.Zone> ZONE = Codec.of((w, z) -> {
        w.string(z.name());
        STRINGS.write(w, z.endpoints());
    }, r -> new Zonegroup.Zone(r.string(), STRINGS.read(r)));

    public static final Codec<Zonegroup> ZONEGROUP = Codec.of((w, g) -> {
        w.string(g.name()).varLong(g.epoch());
        ZONE.list().write(w, g.zones());
        // the empty string fills the place where records of earlier versions held the sync secret in clear
        w.string(g.syncAccessKey()).string("");
    }, r -> {
        Zonegroup g = new Zonegroup(r.string(), r.varLong(), ZONE.list().read(r), r.string());
        r.string();
        return g;
    });

    public static final Codec<UserAccount> USER = Codec.of((w, u) -> {
        w.string(u.name()).bool(u.enabled()).bool(u.root());
        STRINGS.write(w, u.policies());
        w.zigzag(u.createdMillis());
    }, r -> new UserAccount(r.string(), r.bool(), r.bool(), STRINGS.read(r), r.zigzag()));

    /**
     * An expiry is never negative: a key with a verifier writes it as {@code -1 - expiry} (the
     * zigzag's low bit is the flag) with the verifier after it, so keys written before verifiers
     * read unchanged, inside a row or a list alike. Creation times are never negative either: a disabled key writes
     * {@code -1 - created}.
     */
    public static final Codec<AccessKeyRecord> ACCESS_KEY = Codec.of((w, k) -> {
        // likewise a disabled key writes its creation time as -1 - created
        w.string(k.accessKey()).string(k.user()).bytes(k.sealedSecret()).zigzag(k.enabled() ? k.createdMillis() : -1 - k.createdMillis());
        if (k.verifier() == null) {
            w.zigzag(k.expiresMillis());
        } else {
            w.zigzag(-1 - k.expiresMillis()).bytes(k.verifier());
        }
    }, r -> {
        String accessKey = r.string();
        String user = r.string();
        byte[] sealed = r.bytes();
        long created = r.zigzag();
        boolean enabled = created >= 0;
        long expires = r.zigzag();
        return expires >= 0 ? new AccessKeyRecord(accessKey, user, sealed, enabled ? created : -1 - created, expires, null, enabled)
                : new AccessKeyRecord(accessKey, user, sealed, enabled ? created : -1 - created, -1 - expires, r.bytes(), enabled);
    });

    public static final Codec<IdentitySnapshot> IDENTITIES = Codec.of((w, s) -> {
        w.varLong(s.version()).bool(s.changed()).bytes(s.clusterKey());
        USER.list().write(w, s.users());
        ACCESS_KEY.list().write(w, s.keys());
    }, r -> new IdentitySnapshot(r.varLong(), r.bool(), r.bytes(), USER.list().read(r), ACCESS_KEY.list().read(r)));

    public static final Codec<SyncState> SYNC_STATE = Codec.of((w, s) -> {
        w.string(s.localZone());
        ZONEGROUP.write(w, s.zonegroup());
    }, r -> new SyncState(r.string(), ZONEGROUP.read(r)));

    public static final Codec<RemoteApplied> REMOTE_APPLIED = Codec.of((w, a) -> {
        w.bool(a.applied());
        OPTIONAL_OBJECT.write(w, a.replaced());
    }, r -> new RemoteApplied(r.bool(), OPTIONAL_OBJECT.read(r)));

    public static final Codec<long[]> LONGS = Codec.of((w, a) -> {
        w.varLong(a.length);
        for (long v : a) {
            w.varLong(v);
        }
    }, r -> {
        int n = r.varInt();
        if (n > 1 << 16) {
            throw new IllegalArgumentException("too many values: " + n);
        }
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.varLong();
        }
        return a;
    });

    public static final Codec<MultipartUpload> UPLOAD = Codec.of((w, u) -> {
        w.string(u.uploadId()).string(u.bucket()).string(u.key());
        writeUploadState(w, u);
    }, r -> readUploadState(r, r.string(), r.string(), r.string()));

    /** Set above an upload's initiation time when the upload's encryption follows its storage class (older values have none). */
    private static final long INITIATED_ENCRYPTED = 1L << 62;
    /** Set above an upload's initiation time when the upload's checksum follows last (older values have none). */
    private static final long INITIATED_CHECKSUMMED = 1L << 61;

    /** An upload but its names (id, bucket, key): what the namespace stores under them. */
    public static void writeUploadState(BinaryWriter w, MultipartUpload u) {
        if (u.initiatedMillis() < 0 || u.initiatedMillis() >= INITIATED_CHECKSUMMED) {
            throw new IllegalArgumentException("initiation time out of range: " + u.initiatedMillis());
        }
        w.zigzag(u.initiatedMillis() | (u.encryption() == null ? 0 : INITIATED_ENCRYPTED) | (u.checksum() == null ? 0 : INITIATED_CHECKSUMMED));
        PROPERTIES.write(w, u.properties());
        writeStorageClass(w, u.storageClass());
        if (u.encryption() != null) {
            ENCRYPTION.write(w, u.encryption());
        }
        if (u.checksum() != null) {
            UPLOAD_CHECKSUM.write(w, u.checksum());
        }
    }

    public static MultipartUpload readUploadState(BinaryReader r, String uploadId, String bucket, String key) {
        long initiated = r.zigzag();
        ObjectProperties properties = PROPERTIES.read(r);
        StorageClass storageClass = readStorageClass(r);
        ObjectEncryption encryption = (initiated & INITIATED_ENCRYPTED) != 0 ? ENCRYPTION.read(r) : null;
        UploadChecksum checksum = (initiated & INITIATED_CHECKSUMMED) != 0 ? UPLOAD_CHECKSUM.read(r) : null;
        return new MultipartUpload(uploadId, bucket, key, initiated & ~(INITIATED_ENCRYPTED | INITIATED_CHECKSUMMED), properties, storageClass,
                encryption, checksum);
    }

    public static final Codec<List<MultipartUpload>> UPLOADS = UPLOAD.list();

    /** Set above a part's number when the part's first chunk index follows its manifest (encrypted parts; older values have none). */
    private static final long PART_WITH_FIRST_CHUNK = 1L << 32;

    public static final Codec<PartInfo> PART = Codec.of((w, p) -> {
        boolean encrypted = p.manifest().encryption() != null;
        w.varLong(encrypted ? p.partNumber() | PART_WITH_FIRST_CHUNK : p.partNumber()).varLong(p.size()).string(p.etag())
                .zigzag(p.mtimeMillis());
        MANIFEST.write(w, p.manifest());
        if (encrypted) {
            w.fixed64(p.firstChunk());
        }
    }, r -> {
        long number = r.varLong();
        long size = r.varLong();
        String etag = r.string();
        long mtime = r.zigzag();
        ObjectManifest manifest = MANIFEST.read(r);
        return new PartInfo((int) number, size, etag, mtime, manifest, (number & PART_WITH_FIRST_CHUNK) != 0 ? r.fixed64() : 0);
    });

    public static final Codec<List<PartInfo>> PARTS = PART.list();

    public static final Codec<Optional<PartInfo>> OPTIONAL_PART = PART.optional();

    public static final Codec<CompletedPart> COMPLETED_PART = Codec.of(
            (w, p) -> w.varLong(p.partNumber()).string(p.etag()),
            r -> new CompletedPart(r.varInt(), r.string()));

    public static final Codec<CompletedUpload> COMPLETED_UPLOAD = Codec.of((w, c) -> {
        OBJECT.write(w, c.object());
        OPTIONAL_OBJECT.write(w, c.replaced());
        PARTS.write(w, c.unusedParts());
    }, r -> new CompletedUpload(OBJECT.read(r), OPTIONAL_OBJECT.read(r), PARTS.read(r)));

    public static final Codec<ChunkserverInfo> CHUNKSERVER = Codec.of((w, c) -> {
        w.string(c.id()).string(c.address());
        writeMap(w, c.labels());
        w.varLong(c.capacityBytes()).varLong(c.usedBytes()).varLong(c.freeBytes()).varLong(c.heartbeatMillis());
    }, r -> new ChunkserverInfo(r.string(), r.string(), readMap(r), r.varLong(), r.varLong(), r.varLong(), r.varLong()));

    public static final Codec<GatewayInfo> GATEWAY = Codec.of((w, g) -> w.string(g.id()).string(g.address()).varLong(g.heartbeatMillis())
                    .string(g.ecKernel()),
            r -> new GatewayInfo(r.string(), r.string(), r.varLong(), r.string()));

    public static final Codec<List<GatewayInfo>> GATEWAYS = GATEWAY.list();

    public static final Codec<MountInfo> MOUNT = Codec.of((w, m) -> w.string(m.id()).string(m.host()).string(m.mountPoint())
                    .string(m.version()).varLong(m.startedMillis()).varLong(m.lastSeenMillis()),
            r -> new MountInfo(r.string(), r.string(), r.string(), r.string(), r.varLong(), r.varLong()));

    public static final Codec<List<MountInfo>> MOUNTS = MOUNT.list();

    public static final Codec<List<ChunkserverInfo>> CHUNKSERVERS = CHUNKSERVER.list();

    public static final Codec<List<BlockRef>> BLOCK_LIST = BLOCKS;

    public static final Codec<List<Integer>> INDEXES = Codec.<Integer>of(BinaryWriter::varLong, BinaryReader::varInt).list();

    public static final Codec<List<DamagedBlock>> DAMAGED_BLOCKS = Codec.<DamagedBlock>of((w, d) -> {
        BLOCK.write(w, d.block());
        INDEXES.write(w, d.shards());
    }, r -> new DamagedBlock(BLOCK.read(r), INDEXES.read(r))).list();

    public static final Codec<ShardMove> SHARD_MOVE = Codec.of((w, m) -> w.varLong(m.index()).string(m.fromNode()).string(m.toNode()),
            r -> new ShardMove(r.varInt(), r.string(), r.string()));

    public static final Codec<List<ShardMove>> SHARD_MOVES = SHARD_MOVE.list();

    public static final Codec<BlockId> BLOCK_ID = Codec.of((w, id) -> w.fixed64(id.hi()).fixed64(id.lo()),
            r -> new BlockId(r.fixed64(), r.fixed64()));

    public static final Codec<List<BlockId>> BLOCK_IDS = BLOCK_ID.list();

    public static final Codec<ShardId> SHARD_ID = Codec.of((w, s) -> w.fixed64(s.block().hi()).fixed64(s.block().lo()).varLong(s.index()),
            r -> new ShardId(new BlockId(r.fixed64(), r.fixed64()), r.varInt()));

    public static final Codec<List<ShardId>> SHARD_IDS = SHARD_ID.list();

    public static final Codec<QueuedShards> QUEUED_SHARDS = Codec.of((w, q) -> {
        w.bool(q.after() != null);
        if (q.after() != null) {
            SHARD_ID.write(w, q.after());
        }
        w.varLong(q.queued()).bool(q.done());
    }, r -> new QueuedShards(r.bool() ? SHARD_ID.read(r) : null, r.varInt(), r.bool()));

    public static final Codec<TrashEntry> TRASH_ENTRY = Codec.of((w, t) -> w.string(t.bucket()).string(t.key()).fixed64(t.inode())
                    .zigzag(t.deletedMillis()).varLong(t.size()).string(t.etag()),
            r -> new TrashEntry(r.string(), r.string(), r.fixed64(), r.zigzag(), r.varLong(), r.string()));

    public static final Codec<List<TrashEntry>> TRASH = TRASH_ENTRY.list();

    public static final Codec<MaintenanceReport> MAINTENANCE = Codec.of((w, m) -> w.zigzag(m.atMillis()).string(m.reporter())
                    .varLong(m.blocks()).varLong(m.underReplicated()).varLong(m.endangered()).varLong(m.lost())
                    .varLong(m.repairedShards()).varLong(m.repairedBytes()).fixed64(Double.doubleToLongBits(m.repairMiBPerSecond()))
                    .varLong(m.recodePending()).varLong(m.recodedObjects()).varLong(m.movedShards())
                    .varLong(m.orphanShardsDeleted()).varLong(m.trashPurged()).string(m.lostChunkservers())
                    .zigzag(m.lifecyclePassMillis()).varLong(m.lifecycleExpired()).varLong(m.lifecycleTransitioned())
                    .varLong(m.lifecycleAborted()),
            r -> new MaintenanceReport(r.zigzag(), r.string(), r.varLong(), r.varLong(), r.varLong(), r.varLong(),
                    r.varLong(), r.varLong(), Double.longBitsToDouble(r.fixed64()), r.varLong(), r.varLong(), r.varLong(),
                    r.varLong(), r.varLong(), r.string(), r.zigzag(), r.varLong(), r.varLong(), r.varLong()));

    public static final Codec<Optional<MaintenanceReport>> OPTIONAL_MAINTENANCE = MAINTENANCE.optional();

    private static final Codec<NamespaceChange> NAMESPACE_CHANGE = Codec.of(
            (w, c) -> w.varLong(c.index()).u8(c.kind().ordinal()).string(c.bucket()).nullableString(c.key()).varLong(c.inode()),
            r -> new NamespaceChange(r.varLong(), NamespaceChange.Kind.values()[r.u8()], r.string(), r.nullableString(), r.varLong()));

    public static final Codec<NamespaceChanges> NAMESPACE_CHANGES = Codec.of(
            (w, c) -> {
                w.varLong(c.horizon()).varLong(c.last());
                NAMESPACE_CHANGE.list().write(w, c.changes());
                LEASED_DIRECTORY.list().write(w, c.recalls());
                w.varLong(c.fence());
            },
            r -> new NamespaceChanges(r.varLong(), r.varLong(), NAMESPACE_CHANGE.list().read(r), LEASED_DIRECTORY.list().read(r),
                    r.varLong()));

    public static final Codec<ListRequest> LIST_REQUEST = Codec.of((w, q) -> {
        w.string(q.prefix()).nullableString(q.delimiter()).nullableString(q.startAfter()).zigzag(q.maxKeys());
    }, r -> new ListRequest(r.string(), r.nullableString(), r.nullableString(), (int) r.zigzag()));

    public static final Codec<ObjectSummary> SUMMARY = Codec.of((w, s) -> {
        w.string(s.key()).varLong(s.size()).string(s.etag()).zigzag(s.mtimeMillis());
        writeStorageClass(w, s.storageClass());
    }, r -> new ObjectSummary(r.string(), r.varLong(), r.string(), r.zigzag(), readStorageClass(r)));

    private static final Codec<List<ObjectSummary>> SUMMARIES = SUMMARY.list();

    public static final Codec<ListPage> LIST_PAGE = Codec.of((w, p) -> {
        SUMMARIES.write(w, p.objects());
        STRINGS.write(w, p.commonPrefixes());
        w.bool(p.truncated()).nullableString(p.nextStartAfter());
    }, r -> new ListPage(SUMMARIES.read(r), STRINGS.read(r), r.bool(), r.nullableString()));

    private static void writeStorageClass(BinaryWriter w, StorageClass c) {
        // explicit codes, not ordinals: the enum may gain kinds in any order
        w.u8(c.kind() == StorageClass.Kind.REPLICATED ? 0 : 1).varLong(c.dataShards()).varLong(c.parityShards());
    }

    private static StorageClass readStorageClass(BinaryReader r) {
        int kind = r.u8();
        if (kind > 1) {
            throw new IllegalArgumentException("unknown storage class kind " + kind);
        }
        return new StorageClass(kind == 0 ? StorageClass.Kind.REPLICATED : StorageClass.Kind.ERASURE, r.varInt(), r.varInt());
    }

    private static void writeMap(BinaryWriter w, Map<String, String> map) {
        w.varLong(map.size());
        map.forEach((k, v) -> w.string(k).string(v));
    }

    private static Map<String, String> readMap(BinaryReader r) {
        int n = r.varInt();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(r.string(), r.string());
        }
        return map;
    }
}
