package io.mooseng.core.model;

/**
 * One uploaded part of a multipart upload.
 *
 * @param firstChunk in an encrypted upload, the index of the part's first encrypted chunk
 *                   ({@code io.mooseng.core.crypto.ChunkLayout#firstChunkOfPart}); else 0
 */
public record PartInfo(int partNumber, long size, String etag, long mtimeMillis, ObjectManifest manifest, long firstChunk) {
    public PartInfo(int partNumber, long size, String etag, long mtimeMillis, ObjectManifest manifest) {
        this(partNumber, size, etag, mtimeMillis, manifest, 0);
    }
}
