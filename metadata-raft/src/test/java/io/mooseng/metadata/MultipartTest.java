package io.mooseng.metadata;

import io.mooseng.core.metadata.ObjectNamespace.CompletedUpload;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.MultipartOrigin;
import io.mooseng.core.model.MultipartUpload;
import io.mooseng.core.model.ObjectEncryption;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.StorageClass;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.mooseng.core.checksum.ChecksumAlgorithm;
import io.mooseng.core.checksum.ChecksumType;
import io.mooseng.core.model.ObjectChecksum;
import io.mooseng.core.model.UploadChecksum;

import static io.mooseng.core.error.ErrorCode.ENTITY_TOO_SMALL;
import static io.mooseng.core.error.ErrorCode.INVALID_PART;
import static io.mooseng.core.error.ErrorCode.INVALID_PART_ORDER;
import static io.mooseng.core.error.ErrorCode.NO_SUCH_BUCKET;
import static io.mooseng.core.error.ErrorCode.NO_SUCH_UPLOAD;
import static io.mooseng.metadata.Fixtures.assertFails;
import static io.mooseng.metadata.Fixtures.block;
import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static io.mooseng.metadata.Fixtures.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

@Timeout(60)
class MultipartTest extends SingleMasterTest {
    private static final long MIN = 100;
    private static final ObjectProperties PROPS = new ObjectProperties("video/mp4", Map.of("cache-control", "no-cache"), Map.of("a", "b"));
    private static final StorageClass EC = StorageClass.erasure(4, 2);

    @BeforeAll
    static void createBucket() {
        join(meta.createBucket("mp", StorageClass.EC_4_2, 1));
    }

    /** A part whose ETag is the hex MD5 of its number and version. */
    private static PartInfo part(int number, long size, String version) throws Exception {
        String etag = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest((number + version).getBytes()));
        ObjectManifest m = new ObjectManifest(size, etag, 10, ObjectProperties.EMPTY, Fixtures.ONE_COPY,
                List.of(block(number * 10L, size / 2), block(number * 10L + 1, size - size / 2)), null);
        return new PartInfo(number, size, etag, 10, m);
    }

    private static MultipartUpload upload(String k) {
        return join(meta.createMultipartUpload("mp", key(k), PROPS, EC, 777));
    }

    @Test
    void completeBuildsTheObject() throws Exception {
        ObjectKey k = key("movies/big.mp4");
        MultipartUpload u = upload(k.key());
        assertEquals(new MultipartUpload(u.uploadId(), "mp", k.key(), 777, PROPS, EC), u);
        assertEquals(u, join(meta.getMultipartUpload("mp", k, u.uploadId())));

        PartInfo p1 = part(1, 150, "a");
        PartInfo p2old = part(2, 120, "old");
        PartInfo p2 = part(2, 130, "b");
        PartInfo p3 = part(3, 10, "c");
        PartInfo p5 = part(5, 200, "unused");
        for (PartInfo p : List.of(p3, p1, p2old, p5)) {
            assertEquals(Optional.empty(), join(meta.putPart("mp", k, u.uploadId(), p)));
        }
        assertEquals(Optional.of(p2old), join(meta.putPart("mp", k, u.uploadId(), p2)));
        assertEquals(List.of(p1, p2, p3, p5), join(meta.listParts("mp", k, u.uploadId())));

        join(meta.putObject("mp", k, manifest(5, "previous", 1)));
        CompletedUpload done = join(meta.completeMultipartUpload("mp", k, u.uploadId(), List.of(
                new CompletedPart(1, "\"" + p1.etag() + "\""), new CompletedPart(2, p2.etag()), new CompletedPart(3, p3.etag())),
                MIN, 999));

        MessageDigest md5 = MessageDigest.getInstance("MD5");
        for (PartInfo p : List.of(p1, p2, p3)) {
            md5.update(HexFormat.of().parseHex(p.etag()));
        }
        ObjectInfo object = done.object();
        assertEquals(HexFormat.of().formatHex(md5.digest()) + "-3", object.etag());
        assertEquals(290, object.size());
        assertEquals(999, object.mtimeMillis());
        assertEquals(PROPS, object.manifest().properties());
        assertEquals(EC, object.manifest().storageClass());
        List<BlockRef> blocks = new java.util.ArrayList<>();
        List.of(p1, p2, p3).forEach(p -> blocks.addAll(p.manifest().blocks()));
        assertEquals(blocks, object.manifest().blocks());
        assertEquals("previous", done.replaced().orElseThrow().etag());
        assertEquals(List.of(p5), done.unusedParts());

        MultipartOrigin origin = new MultipartOrigin(u.uploadId(), List.of(150L, 130L, 10L));
        assertEquals(origin, object.manifest().multipart());
        assertEquals(origin, join(meta.getObject("mp", k)).manifest().multipart());
        assertEquals(280, origin.offsetOf(3));

        assertEquals(object.inode(), join(meta.getObject("mp", k)).inode());
        assertFails(NO_SUCH_UPLOAD, meta.getMultipartUpload("mp", k, u.uploadId()));
        assertFails(NO_SUCH_UPLOAD, meta.listParts("mp", k, u.uploadId()));
    }

    @Test
    void anEncryptedUploadKeepsItsKeyAndMakesAnObjectRecordingEachPartsFirstChunk() throws Exception {
        ObjectEncryption how = new ObjectEncryption(ObjectEncryption.Mode.SSE_C, new byte[16], new byte[] {7, 7}, "md5==");
        ObjectKey k = key("secret/big");
        MultipartUpload u = join(meta.createMultipartUpload("mp", k, PROPS, EC, 777, how));
        assertEquals(how, u.encryption());
        assertEquals(u, join(meta.getMultipartUpload("mp", k, u.uploadId())));
        assertEquals(how, join(meta.listMultipartUploads("mp", "secret/")).getFirst().encryption());

        PartInfo p1 = encrypted(part(1, 150, "a"), how, (1L << 48) | (3L << 24));
        PartInfo p2 = encrypted(part(2, 120, "b"), how, (2L << 48) | (9L << 24));
        join(meta.putPart("mp", k, u.uploadId(), p1));
        join(meta.putPart("mp", k, u.uploadId(), p2));
        assertEquals(List.of(p1, p2), join(meta.listParts("mp", k, u.uploadId())));
        // a part not encrypted as its upload (a plaintext one here) cannot go into the object
        PartInfo plain = part(3, 5, "c");
        join(meta.putPart("mp", k, u.uploadId(), plain));
        assertFails(INVALID_PART, meta.completeMultipartUpload("mp", k, u.uploadId(), List.of(new CompletedPart(1, p1.etag()),
                new CompletedPart(2, p2.etag()), new CompletedPart(3, plain.etag())), MIN, 1));

        ObjectInfo object = join(meta.completeMultipartUpload("mp", k, u.uploadId(), List.of(new CompletedPart(1, p1.etag()),
                new CompletedPart(2, p2.etag())), MIN, 1)).object();
        assertEquals(how, object.manifest().encryption());
        assertEquals(new MultipartOrigin(u.uploadId(), List.of(150L, 120L), List.of(p1.firstChunk(), p2.firstChunk())),
                join(meta.getObject("mp", k)).manifest().multipart());
    }

    @Test
    void anUploadWithAChecksumMakesTheObjectsFromItsParts() throws Exception {
        ChecksumAlgorithm crc = ChecksumAlgorithm.CRC32C;
        byte[] whole = new byte[270];
        new java.util.Random(1).nextBytes(whole);
        ObjectKey k = key("sums/full");
        MultipartUpload u = join(meta.createMultipartUpload("mp", k, PROPS, EC, 777, null, new UploadChecksum(crc, ChecksumType.FULL_OBJECT)));
        assertEquals(new UploadChecksum(crc, ChecksumType.FULL_OBJECT), join(meta.getMultipartUpload("mp", k, u.uploadId())).checksum());
        PartInfo p1 = summed(part(1, 150, "a"), crc, java.util.Arrays.copyOfRange(whole, 0, 150));
        PartInfo p2 = summed(part(2, 120, "b"), crc, java.util.Arrays.copyOfRange(whole, 150, 270));
        join(meta.putPart("mp", k, u.uploadId(), p1));
        join(meta.putPart("mp", k, u.uploadId(), p2));
        assertEquals(List.of(p1, p2), join(meta.listParts("mp", k, u.uploadId())));
        // a part without the upload's checksum cannot go into the object
        PartInfo bare = part(3, 5, "c");
        join(meta.putPart("mp", k, u.uploadId(), bare));
        assertFails(INVALID_PART, meta.completeMultipartUpload("mp", k, u.uploadId(), List.of(new CompletedPart(1, p1.etag()),
                new CompletedPart(2, p2.etag()), new CompletedPart(3, bare.etag())), MIN, 1));
        ObjectInfo object = join(meta.completeMultipartUpload("mp", k, u.uploadId(), List.of(new CompletedPart(1, p1.etag()),
                new CompletedPart(2, p2.etag())), MIN, 1)).object();
        assertEquals(ObjectChecksum.of(crc, crc.of(whole)), object.manifest().checksum());
        assertEquals(object.manifest().checksum(), join(meta.getObject("mp", k)).manifest().checksum());
        assertEquals(List.of(p1.manifest().checksum(), p2.manifest().checksum()),
                join(meta.getObject("mp", k)).manifest().multipart().partChecksums());

        ObjectKey c = key("sums/composite");
        MultipartUpload composite = join(meta.createMultipartUpload("mp", c, PROPS, EC, 777, null,
                new UploadChecksum(ChecksumAlgorithm.SHA1, ChecksumType.COMPOSITE)));
        PartInfo only = summed(part(1, 150, "a"), ChecksumAlgorithm.SHA1, new byte[150]);
        join(meta.putPart("mp", c, composite.uploadId(), only));
        ObjectChecksum made = join(meta.completeMultipartUpload("mp", c, composite.uploadId(), List.of(new CompletedPart(1, only.etag())),
                MIN, 1)).object().manifest().checksum();
        assertEquals(new ObjectChecksum(ChecksumAlgorithm.SHA1, ChecksumType.COMPOSITE,
                ChecksumAlgorithm.SHA1.of(ChecksumAlgorithm.SHA1.of(new byte[150])), 1), made);
    }

    private static PartInfo summed(PartInfo p, ChecksumAlgorithm a, byte[] content) {
        return new PartInfo(p.partNumber(), p.size(), p.etag(), p.mtimeMillis(), p.manifest().withChecksum(ObjectChecksum.of(a, a.of(content))));
    }

    private static PartInfo encrypted(PartInfo p, ObjectEncryption how, long firstChunk) {
        return new PartInfo(p.partNumber(), p.size(), p.etag(), p.mtimeMillis(), p.manifest().encrypted(p.size(), p.etag(), how), firstChunk);
    }

    @Test
    void errors() throws Exception {
        ObjectKey k = key("errors/obj");
        MultipartUpload u = upload(k.key());
        PartInfo p1 = part(1, 50, "a");
        PartInfo p2 = part(2, 150, "b");
        join(meta.putPart("mp", k, u.uploadId(), p1));
        join(meta.putPart("mp", k, u.uploadId(), p2));
        CompletedPart c1 = new CompletedPart(1, p1.etag());
        CompletedPart c2 = new CompletedPart(2, p2.etag());

        assertFails(INVALID_PART_ORDER, meta.completeMultipartUpload("mp", k, u.uploadId(), List.of(c2, c1), MIN, 1));
        assertFails(INVALID_PART_ORDER, meta.completeMultipartUpload("mp", k, u.uploadId(), List.of(c1, c1), MIN, 1));
        assertFails(INVALID_PART, meta.completeMultipartUpload("mp", k, u.uploadId(), List.of(new CompletedPart(1, "beef")), MIN, 1));
        assertFails(INVALID_PART, meta.completeMultipartUpload("mp", k, u.uploadId(), List.of(c1, new CompletedPart(4, "x")), MIN, 1));
        assertFails(INVALID_PART, meta.completeMultipartUpload("mp", k, u.uploadId(), List.of(), MIN, 1));
        assertFails(ENTITY_TOO_SMALL, meta.completeMultipartUpload("mp", k, u.uploadId(), List.of(c1, c2), MIN, 1));
        // the last part may be small
        assertEquals(150, join(meta.completeMultipartUpload("mp", k, u.uploadId(), List.of(c2), MIN, 1)).object().size());

        assertFails(NO_SUCH_UPLOAD, meta.completeMultipartUpload("mp", k, "unknown", List.of(c1), MIN, 1));
        assertFails(NO_SUCH_UPLOAD, meta.putPart("mp", k, "unknown", p1));
        assertFails(NO_SUCH_UPLOAD, meta.abortMultipartUpload("mp", k, "unknown"));
        assertFails(NO_SUCH_UPLOAD, meta.getMultipartUpload("mp", key("other"), u.uploadId()));
        assertFails(NO_SUCH_BUCKET, meta.createMultipartUpload("nobucket", k, PROPS, EC, 1));

        // completion beside a directory of the key's name: both stay, as in S3
        join(meta.putObject("mp", key("dirs/x/y"), manifest(1, "y", 1)));
        MultipartUpload beside = upload("dirs/x");
        join(meta.putPart("mp", key("dirs/x"), beside.uploadId(), p2));
        assertEquals(150, join(meta.completeMultipartUpload("mp", key("dirs/x"), beside.uploadId(), List.of(c2), MIN, 1)).object().size());
        assertEquals(150, join(meta.getObject("mp", key("dirs/x"))).size());
        assertEquals(1, join(meta.getObject("mp", key("dirs/x/y"))).size());
    }

    @Test
    void abortAndList() throws Exception {
        MultipartUpload a2 = join(meta.createMultipartUpload("mp", key("list/a"), PROPS, EC, 20));
        MultipartUpload b = join(meta.createMultipartUpload("mp", key("list/b"), PROPS, EC, 5));
        MultipartUpload a1 = join(meta.createMultipartUpload("mp", key("list/a"), PROPS, EC, 10));
        MultipartUpload dot = join(meta.createMultipartUpload("mp", key("list.x"), PROPS, EC, 1));
        assertNotEquals(a1.uploadId(), a2.uploadId());
        assertEquals(List.of(a1, a2, b), join(meta.listMultipartUploads("mp", "list/")));
        assertEquals(List.of(dot, a1, a2, b), join(meta.listMultipartUploads("mp", "list")));

        PartInfo p1 = part(1, 150, "a");
        join(meta.putPart("mp", key("list/b"), b.uploadId(), p1));
        assertEquals(List.of(p1), join(meta.abortMultipartUpload("mp", key("list/b"), b.uploadId())));
        assertFails(NO_SUCH_UPLOAD, meta.getMultipartUpload("mp", key("list/b"), b.uploadId()));
        for (MultipartUpload u : List.of(a1, a2, dot)) {
            assertEquals(List.of(), join(meta.abortMultipartUpload("mp", key(u.key()), u.uploadId())));
        }
        assertEquals(List.of(), join(meta.listMultipartUploads("mp", "list")));
        assertFails(NO_SUCH_BUCKET, meta.listMultipartUploads("nobucket", ""));
    }
}
