package io.mooseng.metadata.command;

import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.ListRequest;

/** A read of the namespace, answered by the state machine without a log entry. */
public sealed interface MetadataQuery {

    record GetBucket(String name) implements MetadataQuery {
    }

    record ListBuckets() implements MetadataQuery {
    }

    record GetObject(String bucket, String key) implements MetadataQuery {
    }

    record ListObjects(String bucket, ListRequest request) implements MetadataQuery {
    }

    record GetUpload(String bucket, String key, String uploadId) implements MetadataQuery {
    }

    record ListParts(String bucket, String key, String uploadId) implements MetadataQuery {
    }

    record ListUploads(String bucket, String prefix) implements MetadataQuery {
    }

    record ListChunkservers() implements MetadataQuery {
    }

    record ListGateways() implements MetadataQuery {
    }

    /** @param after null to start at the first block */
    record ScanBlocks(BlockId after, int limit) implements MetadataQuery {
    }

    record ListTrash(String bucket) implements MetadataQuery {
    }

    record GetMaintenance() implements MetadataQuery {
    }

    record Lookup(String bucket, String path) implements MetadataQuery {
    }

    /** @param dir "" for the bucket's root; @param after null for the first page */
    record ReadDirectory(String bucket, String dir, String after, int limit) implements MetadataQuery {
    }
}
