package io.mooseng.core.model;

import java.util.List;

/**
 * Content and attributes of one object version, as committed to metadata.
 *
 * @param size          logical size in bytes
 * @param etag          S3 ETag without quotes: hex MD5, or "md5-N" for multipart uploads
 * @param mtimeMillis   last-modified time, decided by the writer before commit
 * @param properties    content headers and user metadata
 * @param storageClass  class the blocks were written with
 * @param blocks        content blocks in file order (empty when inlined)
 * @param inlineData    the whole content when small enough to live in metadata, else null
 */
public record ObjectManifest(long size, String etag, long mtimeMillis, ObjectProperties properties,
                             StorageClass storageClass, List<BlockRef> blocks, byte[] inlineData) {
    public ObjectManifest {
        blocks = List.copyOf(blocks);
    }

    public boolean inline() {
        return inlineData != null;
    }
}
