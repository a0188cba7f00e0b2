package io.mooseng.core.model;

import java.util.List;

/**
 * What a completed multipart upload leaves on its object: the upload's id, so that a retried
 * CompleteMultipartUpload is answered like the first, and each part's size, so that a part
 * can be read back by number (S3's GET ?partNumber).
 *
 * @param uploadId    the upload that made the object
 * @param partSizes   bytes of each part in the object's order (part numbers may have gaps; the
 *                    n-th entry is S3's part n of the object)
 * @param firstChunks for an object encrypted part by part, the index of each part's first encrypted
 *                    chunk ({@link PartInfo#firstChunk}), in the same order; else empty
 * @param partChecksums for an upload made with a checksum, each part's (GetObjectAttributes lists them), in the same
 *                      order; else empty
 */
public record MultipartOrigin(String uploadId, List<Long> partSizes, List<Long> firstChunks, List<ObjectChecksum> partChecksums) {
    public MultipartOrigin {
        partSizes = List.copyOf(partSizes);
        firstChunks = List.copyOf(firstChunks);
        partChecksums = List.copyOf(partChecksums);
        if (!firstChunks.isEmpty() && firstChunks.size() != partSizes.size()) {
            throw new IllegalArgumentException("one first chunk per part");
        }
        if (!partChecksums.isEmpty() && partChecksums.size() != partSizes.size()) {
            throw new IllegalArgumentException("one checksum per part");
        }
    }

    public MultipartOrigin(String uploadId, List<Long> partSizes, List<Long> firstChunks) {
        this(uploadId, partSizes, firstChunks, List.of());
    }

    public MultipartOrigin(String uploadId, List<Long> partSizes) {
        this(uploadId, partSizes, List.of());
    }

    /** The offset of part {@code n} (1-based) in the object. */
    public long offsetOf(int n) {
        long offset = 0;
        for (int i = 0; i < n - 1; i++) {
            offset += partSizes.get(i);
        }
        return offset;
    }

    /** The same parts over content stored as one run of chunks (a peer zone's copy, encrypted anew). */
    public MultipartOrigin withoutChunks() {
        return new MultipartOrigin(uploadId, partSizes, List.of(), partChecksums);
    }
}
