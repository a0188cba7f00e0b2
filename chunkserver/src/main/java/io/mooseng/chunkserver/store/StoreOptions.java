package io.mooseng.chunkserver.store;

/**
 * Settings of a {@link SegmentShardStore}.
 *
 * @param segmentBytes size at which the active segment is sealed and a new one started
 *                     (bytes, default 256 MiB); a record larger than this gets a segment
 *                     of its own
 */
public record StoreOptions(long segmentBytes) {
    public static final long DEFAULT_SEGMENT_BYTES = 256L << 20;

    public StoreOptions {
        if (segmentBytes < RecordHeader.BYTES) {
            throw new IllegalArgumentException("segmentBytes must be at least " + RecordHeader.BYTES + ": " + segmentBytes);
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(DEFAULT_SEGMENT_BYTES);
    }

    public StoreOptions withSegmentBytes(long bytes) {
        return new StoreOptions(bytes);
    }
}
