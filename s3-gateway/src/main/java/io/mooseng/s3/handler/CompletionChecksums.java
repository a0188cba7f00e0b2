package io.mooseng.s3.handler;

import io.mooseng.core.checksum.ChecksumAlgorithm;
import io.mooseng.core.model.ObjectChecksum;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.UploadChecksum;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.auth.PayloadStream;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.CompleteMultipartUpload;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a CompleteMultipartUpload claims of checksums, checked against the stored parts before the upload is
 * completed: the checksum each part element names, and the whole object's in an x-amz-checksum-* header. The
 * metadata makes the object's own checksum from the parts as it completes; the two agree by construction
 * ({@link ObjectChecksum#ofParts}).
 */
final class CompletionChecksums {
    private CompletionChecksums() {
    }

    /**
     * Checks what the client says of checksums against the parts stored, before anything is completed: each part's
     * checksum it names, and the whole object's in an x-amz-checksum-* header (a full-object upload's). A Complete
     * that names none costs nothing more.
     *
     * @throws io.mooseng.s3.error.S3Exception InvalidPart for a part whose checksum differs (or which has none of that
     *                                         algorithm), BadDigest for the whole object's
     */
    static Future<Void> check(S3Request req, ObjectService objects, String uploadId, CompleteMultipartUpload request) {
        Map<Integer, ObjectChecksum> named = new TreeMap<>();
        for (CompleteMultipartUpload.Part p : request.parts) {
            ObjectChecksum c = namedChecksum(p);
            if (c != null) {
                named.put(p.partNumber, c);
            }
        }
        ObjectChecksum whole = null;
        for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
            String value = req.header(a.headerName());
            if (value != null) {
                String bare = value.trim().replaceFirst("-\\d+$", "");
                PayloadStream.decodeChecksum(a, bare);
                whole = ObjectChecksum.of(a, Base64.getDecoder().decode(bare));
            }
        }
        if (named.isEmpty() && whole == null) {
            return Future.succeededFuture();
        }
        ObjectChecksum expectedWhole = whole;
        return req.call(() -> objects.getMultipartUpload(req.bucket(), req.key(), uploadId))
                .compose(upload -> req.call(() -> objects.listParts(req.bucket(), req.key(), uploadId)).map(stored -> {
                    Map<Integer, PartInfo> byNumber = new TreeMap<>();
                    stored.forEach(p -> byNumber.put(p.partNumber(), p));
                    named.forEach((number, c) -> {
                        PartInfo p = byNumber.get(number);
                        if (p != null && !c.equals(p.manifest().checksum())) {
                            throw S3Error.INVALID_PART.exception("The " + c.algorithm().headerName() + " of part " + number
                                    + " does not match the part's checksum.");
                        }
                    });
                    if (expectedWhole != null) {
                        checkWhole(upload.checksum(), expectedWhole, request, byNumber);
                    }
                    return null;
                }));
    }

    /** The whole object's checksum the parts named make (as the metadata will make it) must be the one the client sent. */
    private static void checkWhole(UploadChecksum kind, ObjectChecksum expected, CompleteMultipartUpload request, Map<Integer, PartInfo> stored) {
        if (kind == null || kind.algorithm() != expected.algorithm()) {
            throw S3Error.INVALID_REQUEST.exception("The upload was not created with the " + expected.algorithm() + " checksum algorithm.");
        }
        List<ObjectChecksum> sums = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (CompleteMultipartUpload.Part p : request.parts) {
            PartInfo part = stored.get(p.partNumber);
            if (part == null) {
                return; // the completion refuses a missing part itself
            }
            sums.add(part.manifest().checksum());
            sizes.add(part.size());
        }
        ObjectChecksum made;
        try {
            made = ObjectChecksum.ofParts(kind.algorithm(), kind.type(), sums, sizes);
        } catch (IllegalArgumentException e) {
            throw S3Error.INVALID_PART.exception("A part has no " + kind.algorithm() + " checksum.");
        }
        if (!Arrays.equals(made.value(), expected.value())) {
            throw S3Error.BAD_DIGEST.exception("The " + expected.algorithm().headerName() + " you specified did not match the calculated checksum.");
        }
    }

    /** The checksum a Complete's part element names, or null. */
    private static ObjectChecksum namedChecksum(CompleteMultipartUpload.Part p) {
        String[] values = {p.checksumCrc32, p.checksumCrc32c, p.checksumCrc64nvme, p.checksumSha1, p.checksumSha256};
        ChecksumAlgorithm[] algorithms = {ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC64NVME,
                ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256};
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                String v = values[i].trim();
                try {
                    return ObjectChecksum.of(algorithms[i], Base64.getDecoder().decode(v));
                } catch (IllegalArgumentException e) {
                    throw S3Error.INVALID_PART.exception("The " + algorithms[i].headerName() + " of part " + p.partNumber + " is not valid.");
                }
            }
        }
        return null;
    }

}
