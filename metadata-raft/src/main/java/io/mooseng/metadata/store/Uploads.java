package io.mooseng.metadata.store;

import io.mooseng.core.metadata.ObjectNamespace.StoredObject;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.ObjectNamespace.CompletedUpload;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.ETags;
import io.mooseng.core.model.MultipartOrigin;
import io.mooseng.core.model.MultipartUpload;
import io.mooseng.core.model.ObjectChecksum;
import io.mooseng.core.model.ObjectEncryption;
import io.mooseng.core.model.UploadChecksum;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.StorageClass;
import io.mooseng.metadata.store.KvView.Cursor;
import io.mooseng.metadata.store.NamespaceSchema.Table;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.BiFunction;

import static io.mooseng.metadata.store.NamespaceSchema.partKey;
import static io.mooseng.metadata.store.NamespaceSchema.partPrefix;
import static io.mooseng.metadata.store.NamespaceSchema.startsWith;
import static io.mooseng.metadata.store.NamespaceSchema.uploadKey;

/** Multipart uploads of one bucket: the uploads, their parts, and completion into an object. */
final class Uploads {
    private final KvView kv;
    private final Tree tree;

    Uploads(KvView kv, Tree tree) {
        this.kv = kv;
        this.tree = tree;
    }

    MultipartUpload create(BucketInfo bucket, ObjectKey key, String uploadId, ObjectProperties properties,
                           StorageClass storageClass, long initiatedMillis, ObjectEncryption encryption, UploadChecksum checksum) {
        if (!validId(uploadId)) {
            throw new MooseException(ErrorCode.INTERNAL, "invalid upload id '" + uploadId + "'");
        }
        byte[] k = uploadKey(bucket.name(), key.key(), uploadId);
        if (kv.get(Table.UPLOADS, k) != null) {
            throw new MooseException(ErrorCode.INTERNAL, "upload id " + uploadId + " is already in use");
        }
        MultipartUpload upload = new MultipartUpload(uploadId, bucket.name(), key.key(), initiatedMillis, properties, storageClass,
                encryption, checksum);
        kv.put(Table.UPLOADS, k, NamespaceSchema.encodeUpload(upload));
        return upload;
    }

    MultipartUpload get(String bucket, String key, String uploadId) {
        byte[] v = validId(uploadId) ? kv.get(Table.UPLOADS, uploadKey(bucket, key, uploadId)) : null;
        if (v == null) {
            throw new MooseException(ErrorCode.NO_SUCH_UPLOAD, "no upload " + uploadId + " for " + bucket + "/" + key);
        }
        return NamespaceSchema.decodeUpload(bucket, key, uploadId, v);
    }

    /** Replaces an SSE-S3 upload's wrapped data key if it is still {@code expected}; false when the upload is gone or holds another. */
    boolean reseal(String bucket, String key, String uploadId, byte[] expected, byte[] wrappedKey) {
        byte[] k = validId(uploadId) ? uploadKey(bucket, key, uploadId) : null;
        byte[] v = k == null ? null : kv.get(Table.UPLOADS, k);
        MultipartUpload u = v == null ? null : NamespaceSchema.decodeUpload(bucket, key, uploadId, v);
        ObjectEncryption e = u == null ? null : u.encryption();
        if (e == null || e.mode() != ObjectEncryption.Mode.SSE_S3 || !java.util.Arrays.equals(e.wrappedKey(), expected)) {
            return false;
        }
        kv.put(Table.UPLOADS, k, NamespaceSchema.encodeUpload(new MultipartUpload(u.uploadId(), u.bucket(), u.key(), u.initiatedMillis(),
                u.properties(), u.storageClass(), new ObjectEncryption(e.mode(), e.salt(), wrappedKey, e.customerKeyMd5()), u.checksum())));
        return true;
    }

    Optional<PartInfo> putPart(String bucket, String key, String uploadId, PartInfo part) {
        get(bucket, key, uploadId);
        if (part.partNumber() < 1) {
            throw new MooseException(ErrorCode.INVALID_PART, "part numbers start at 1, got " + part.partNumber());
        }
        byte[] k = partKey(bucket, key, uploadId, part.partNumber());
        Optional<PartInfo> old = Optional.ofNullable(kv.get(Table.PARTS, k)).map(NamespaceSchema::decodePart);
        kv.put(Table.PARTS, k, NamespaceSchema.encodePart(part));
        old.ifPresent(p -> tree.blocks().remove(p.manifest().blocks()));
        tree.blocks().add(new BlockOwner.Part(k), part.manifest().blocks());
        return old;
    }

    /** Parts in number order. */
    List<PartInfo> parts(String bucket, String key, String uploadId) {
        get(bucket, key, uploadId);
        return scan(Table.PARTS, partPrefix(bucket, key, uploadId), (k, v) -> NamespaceSchema.decodePart(v));
    }

    /** @param store stores the object's manifest at the key (stamped, as a new version where the bucket keeps versions) */
    CompletedUpload complete(BucketInfo bucket, ObjectKey key, String uploadId, List<CompletedPart> named,
                             long minPartSize, long mtimeMillis, Function<ObjectManifest, StoredObject> store) {
        MultipartUpload upload = get(bucket.name(), key.key(), uploadId);
        Map<Integer, PartInfo> stored = new TreeMap<>();
        parts(bucket.name(), key.key(), uploadId).forEach(p -> stored.put(p.partNumber(), p));
        List<PartInfo> used = chooseParts(named, stored, minPartSize);
        StoredObject put = store.apply(combine(upload, used, mtimeMillis));
        used.forEach(p -> stored.remove(p.partNumber()));
        // the used parts' blocks now belong to the object (put re-owned them)
        stored.values().forEach(p -> tree.blocks().remove(p.manifest().blocks()));
        remove(bucket.name(), key.key(), uploadId);
        return new CompletedUpload(put.object(), put.replaced(), List.copyOf(stored.values()));
    }

    /** Ends the upload; @return all its parts. */
    List<PartInfo> abort(String bucket, String key, String uploadId) {
        List<PartInfo> parts = parts(bucket, key, uploadId);
        parts.forEach(p -> tree.blocks().remove(p.manifest().blocks()));
        remove(bucket, key, uploadId);
        return parts;
    }

    /** Uploads whose key starts with {@code prefix}, by key (byte order), then initiation time. */
    List<MultipartUpload> list(String bucket, String prefix) {
        List<MultipartUpload> uploads = new ArrayList<>(scan(Table.UPLOADS, NamespaceSchema.uploadPrefix(bucket, prefix), (k, v) -> {
            String[] parts = NamespaceSchema.uploadKeyParts(k);
            return NamespaceSchema.decodeUpload(parts[0], parts[1], parts[2], v);
        }));
        uploads.sort(Comparator.<MultipartUpload, String>comparing(MultipartUpload::key, Utf8Order::compare)
                .thenComparingLong(MultipartUpload::initiatedMillis)
                .thenComparing(MultipartUpload::uploadId));
        return uploads;
    }

    boolean any(String bucket) {
        byte[] prefix = NamespaceSchema.uploadPrefix(bucket, "");
        try (Cursor c = kv.seekWithin(Table.UPLOADS, prefix)) {
            return c.valid() && startsWith(c.key(), prefix);
        }
    }

    private static List<PartInfo> chooseParts(List<CompletedPart> named, Map<Integer, PartInfo> stored, long minPartSize) {
        if (named.isEmpty()) {
            throw new MooseException(ErrorCode.INVALID_PART, "a multipart upload needs at least one part");
        }
        List<PartInfo> used = new ArrayList<>(named.size());
        int previous = 0;
        for (CompletedPart cp : named) {
            if (cp.partNumber() <= previous) {
                throw new MooseException(ErrorCode.INVALID_PART_ORDER, "parts must be in ascending order: "
                        + cp.partNumber() + " after " + previous);
            }
            previous = cp.partNumber();
            PartInfo p = stored.get(cp.partNumber());
            if (p == null || !ETags.unquote(p.etag()).equals(ETags.unquote(cp.etag()))) {
                throw new MooseException(ErrorCode.INVALID_PART, "part " + cp.partNumber() + " with ETag " + cp.etag() + " not found");
            }
            used.add(p);
        }
        for (int i = 0; i < used.size() - 1; i++) {
            if (used.get(i).size() < minPartSize) {
                throw new MooseException(ErrorCode.ENTITY_TOO_SMALL, "part " + used.get(i).partNumber() + " has "
                        + used.get(i).size() + " bytes, less than the minimum " + minPartSize);
            }
        }
        return used;
    }

    /**
     * The object: the parts' blocks concatenated, S3's multipart ETag, the upload's properties, id and part sizes; for an
     * encrypted upload its encryption and each part's first chunk index (the parts' chunks end to end, see ChunkLayout).
     */
    private static ObjectManifest combine(MultipartUpload upload, List<PartInfo> parts, long mtimeMillis) {
        long inline = parts.stream().filter(p -> p.manifest().inline()).count();
        if (inline != 0 && inline != parts.size()) {
            // a manifest is either blocks or inline bytes; ObjectService must not mix them in one upload
            throw new MooseException(ErrorCode.INVALID_PART, "parts stored inline cannot be combined with parts stored in blocks");
        }
        List<BlockRef> blocks = new ArrayList<>();
        ByteArrayOutputStream inlineData = new ByteArrayOutputStream();
        List<String> etags = new ArrayList<>(parts.size());
        long size = 0;
        for (PartInfo p : parts) {
            if (!ObjectEncryption.sameKey(p.manifest().encryption(), upload.encryption())) {
                throw new MooseException(ErrorCode.INVALID_PART, "part " + p.partNumber() + " is not encrypted as its upload");
            }
            blocks.addAll(p.manifest().blocks());
            if (p.manifest().inline()) {
                inlineData.writeBytes(p.manifest().inlineData());
            }
            etags.add(p.etag());
            size += p.size();
        }
        String etag = ETags.composite(etags, parts.size());
        List<Long> firstChunks = upload.encryption() == null ? List.of() : parts.stream().map(PartInfo::firstChunk).toList();
        List<Long> sizes = parts.stream().map(PartInfo::size).toList();
        ObjectChecksum checksum = checksum(upload.checksum(), parts, sizes);
        List<ObjectChecksum> partChecksums = checksum == null ? List.of() : parts.stream().map(p -> p.manifest().checksum()).toList();
        return new ObjectManifest(size, etag, mtimeMillis, upload.properties(), upload.storageClass(), blocks,
                inline == 0 ? null : inlineData.toByteArray(), false, null,
                new MultipartOrigin(upload.uploadId(), sizes, firstChunks, partChecksums), null,
                upload.encryption(), checksum, null);
    }

    /**
     * The object's checksum made of its parts' as the upload was created to, or null for an upload without one.
     *
     * @throws MooseException INVALID_PART for a part stored without the upload's checksum
     */
    private static ObjectChecksum checksum(UploadChecksum kind, List<PartInfo> parts, List<Long> sizes) {
        if (kind == null) {
            return null;
        }
        List<ObjectChecksum> sums = new ArrayList<>(parts.size());
        for (PartInfo p : parts) {
            ObjectChecksum c = p.manifest().checksum();
            if (c == null || c.algorithm() != kind.algorithm()) {
                throw new MooseException(ErrorCode.INVALID_PART, "part " + p.partNumber() + " has no " + kind.algorithm() + " checksum");
            }
            sums.add(c);
        }
        return ObjectChecksum.ofParts(kind.algorithm(), kind.type(), sums, sizes);
    }

    private void remove(String bucket, String key, String uploadId) {
        byte[] prefix = partPrefix(bucket, key, uploadId);
        scan(Table.PARTS, prefix, (k, v) -> k).forEach(k -> kv.delete(Table.PARTS, k));
        kv.delete(Table.UPLOADS, uploadKey(bucket, key, uploadId));
    }

    private <T> List<T> scan(Table table, byte[] prefix, BiFunction<byte[], byte[], T> decode) {
        List<T> out = new ArrayList<>();
        try (Cursor c = kv.seekWithin(table, prefix)) {
            for (; c.valid() && startsWith(c.key(), prefix); c.next()) {
                out.add(decode.apply(c.key(), c.value()));
            }
        }
        return out;
    }

    /** Upload ids are chosen by our clients; one with NUL could alias another key's entries. */
    private static boolean validId(String uploadId) {
        return !uploadId.isEmpty() && uploadId.indexOf('\0') < 0;
    }

}
