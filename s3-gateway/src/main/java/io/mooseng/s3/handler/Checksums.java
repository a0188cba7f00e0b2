package io.mooseng.s3.handler;

import io.mooseng.core.checksum.ChecksumAlgorithm;
import io.mooseng.core.checksum.ChecksumType;
import io.mooseng.core.model.MultipartOrigin;
import io.mooseng.core.model.ObjectChecksum;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.UploadChecksum;
import io.mooseng.s3.error.S3Error;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;

import java.util.Locale;

/** S3's additional checksums in headers: what a request asks for, and how an answer carries a stored one. */
final class Checksums {
    static final String ALGORITHM = "x-amz-checksum-algorithm";
    static final String TYPE = "x-amz-checksum-type";
    static final String MODE = "x-amz-checksum-mode";

    private Checksums() {
    }

    /** Sets x-amz-checksum-ALG (base64, "-N" after a composite) and x-amz-checksum-type; nothing for null. */
    static void answer(HttpServerResponse response, ObjectChecksum checksum) {
        if (checksum != null) {
            response.putHeader(checksum.algorithm().headerName(), checksum.text());
            response.putHeader(TYPE, checksum.type().name());
        }
    }

    /**
     * The checksum a GET or HEAD answers: with x-amz-checksum-mode: ENABLED, of the whole object, or of part
     * {@code part} (null: the whole) when the object keeps its parts' checksums; never for a byte range, as S3.
     */
    static ObjectChecksum toAnswer(MultiMap headers, ObjectInfo info, Integer part, boolean ranged) {
        String mode = headers.get(MODE);
        if (mode == null || !mode.trim().equalsIgnoreCase("ENABLED") || info.manifest().checksum() == null) {
            return null;
        }
        MultipartOrigin origin = info.manifest().multipart();
        if (part == null) {
            return ranged ? null : info.manifest().checksum();
        }
        if (origin == null) {
            return info.manifest().checksum();
        }
        return origin.partChecksums().isEmpty() ? null : origin.partChecksums().get(part - 1);
    }

    /**
     * x-amz-checksum-algorithm of CopyObject: the algorithm the copy's checksum is computed with, or null to carry the source's.
     *
     * @throws io.mooseng.s3.error.S3Exception InvalidRequest for an algorithm S3 does not know
     */
    static ChecksumAlgorithm requested(MultiMap headers) {
        String name = headers.get(ALGORITHM);
        if (name == null) {
            return null;
        }
        ChecksumAlgorithm a = ChecksumAlgorithm.named(name);
        if (a == null) {
            throw S3Error.INVALID_REQUEST.exception("Checksum algorithm provided is unsupported. Please try again with any of the "
                    + "valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
        }
        return a;
    }

    /**
     * The checksum CreateMultipartUpload asks for: x-amz-checksum-algorithm and x-amz-checksum-type, whose default is
     * FULL_OBJECT for CRC64NVME (its only type) and COMPOSITE for the others, as S3. Null without an algorithm.
     *
     * @throws io.mooseng.s3.error.S3Exception InvalidRequest for an unknown algorithm or type, a type without an
     *                                         algorithm, or a pair S3 does not allow
     */
    static UploadChecksum forUpload(MultiMap headers) {
        ChecksumAlgorithm algorithm = requested(headers);
        String typeName = headers.get(TYPE);
        if (algorithm == null) {
            if (typeName != null) {
                throw S3Error.INVALID_REQUEST.exception("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
            }
            return null;
        }
        ChecksumType type;
        if (typeName == null) {
            type = algorithm == ChecksumAlgorithm.CRC64NVME ? ChecksumType.FULL_OBJECT : ChecksumType.COMPOSITE;
        } else {
            try {
                type = ChecksumType.valueOf(typeName.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw S3Error.INVALID_REQUEST.exception("Value for x-amz-checksum-type header is invalid.");
            }
        }
        try {
            return new UploadChecksum(algorithm, type);
        } catch (IllegalArgumentException e) {
            throw S3Error.INVALID_REQUEST.exception("The " + type + " checksum type cannot be used with the "
                    + algorithm.name().toLowerCase(Locale.ROOT) + " checksum algorithm.");
        }
    }
}
