package io.mooseng.core.object;

import io.mooseng.core.model.StorageClass;

/**
 * Tuning of the data path.
 *
 * @param blockSize          bytes of object content per immutable block
 * @param inlineMaxBytes     objects up to this size live in metadata, with no shards at all
 * @param writeAheadBlocks   blocks a writer may have in flight to chunkservers
 * @param readAheadBlocks    blocks a reader fetches ahead of its consumer
 * @param defaultClass       class of buckets created without one
 * @param minPartSize        smallest multipart part but the last (S3: 5 MiB)
 * @param replicateMaxBytes  an erasure-coded object (or part) of one block up to this size is
 *                           stored as m+1 whole copies instead of k+m shards: the same losses
 *                           tolerated with fewer shard writes and fsyncs, at (m+1)x the space
 *                           of a small object (default 64 KiB; 0 turns it off)
 * @param admissionWaitMillis how long a reader or writer waits for its share of the byte
 *                           budget before it is refused with SLOW_DOWN
 */
public record ObjectServiceConfig(int blockSize, int inlineMaxBytes, int writeAheadBlocks, int readAheadBlocks,
                                  StorageClass defaultClass, long minPartSize, int replicateMaxBytes,
                                  long admissionWaitMillis) {
    public static final int DEFAULT_BLOCK_SIZE = 4 << 20;
    public static final int DEFAULT_INLINE_MAX = 4096;
    public static final int DEFAULT_REPLICATE_MAX = 64 << 10;
    /** Long enough for the work ahead in the queue to finish a few blocks, short enough for a client to retry. */
    public static final long DEFAULT_ADMISSION_WAIT_MILLIS = 10_000;

    public ObjectServiceConfig {
        if (blockSize < 4096 || blockSize > (64 << 20)) {
            throw new IllegalArgumentException("block size must be 4 KiB..64 MiB: " + blockSize);
        }
        if (inlineMaxBytes < 0 || inlineMaxBytes > (256 << 10)) {
            throw new IllegalArgumentException("inline max must be 0..256 KiB: " + inlineMaxBytes);
        }
        if (writeAheadBlocks < 1 || readAheadBlocks < 1) {
            throw new IllegalArgumentException("write-ahead and read-ahead must be >= 1");
        }
        if (replicateMaxBytes < 0 || replicateMaxBytes > blockSize) {
            throw new IllegalArgumentException("replicate max must be 0..blockSize: " + replicateMaxBytes);
        }
        if (admissionWaitMillis < 0) {
            throw new IllegalArgumentException("admission wait must be >= 0: " + admissionWaitMillis);
        }
    }

    public static ObjectServiceConfig defaults(StorageClass defaultClass) {
        return new ObjectServiceConfig(DEFAULT_BLOCK_SIZE, DEFAULT_INLINE_MAX, 2, 2, defaultClass, 5L << 20,
                DEFAULT_REPLICATE_MAX, DEFAULT_ADMISSION_WAIT_MILLIS);
    }

    public ObjectServiceConfig withAdmissionWait(long millis) {
        return new ObjectServiceConfig(blockSize, inlineMaxBytes, writeAheadBlocks, readAheadBlocks, defaultClass, minPartSize,
                replicateMaxBytes, millis);
    }
}
