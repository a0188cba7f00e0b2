package io.mooseng.core.model;

import io.mooseng.core.checksum.ChecksumAlgorithm;
import io.mooseng.core.checksum.ChecksumType;

import java.util.Objects;

/**
 * The checksum a multipart upload was created with (x-amz-checksum-algorithm and -type): every
 * part gets one of {@code algorithm}, and the object one of {@code type} from them. S3 allows full-object
 * checksums of the CRCs only, and composite ones of all but CRC64NVME.
 */
public record UploadChecksum(ChecksumAlgorithm algorithm, ChecksumType type) {
    public UploadChecksum {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(type, "type");
        if (type == ChecksumType.FULL_OBJECT && !algorithm.combinable()) {
            throw new IllegalArgumentException(algorithm + " has no full-object multipart checksum");
        }
        if (type == ChecksumType.COMPOSITE && algorithm == ChecksumAlgorithm.CRC64NVME) {
            throw new IllegalArgumentException("S3 makes CRC64NVME checksums of whole objects only");
        }
    }
}
