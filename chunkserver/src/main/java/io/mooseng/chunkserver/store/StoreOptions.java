package io.mooseng.chunkserver.store;

/**
 * Settings of a {@link SegmentShardStore}.
 *
 * @param segmentBytes          size at which the active segment is sealed and a new one
 *                              started (bytes, default 256 MiB); a record larger than this
 *                              gets a segment of its own
 * @param compactDeadRatio      a sealed segment is rewritten once at least this fraction of
 *                              its bytes is dead (overwritten, deleted), in (0, 1], default 0.5
 * @param compactIntervalMillis pause between background compaction rounds once started
 *                              ({@link SegmentShardStore#startCompactor()}); 0 turns the
 *                              background compactor off (default 30 s)
 */
public record StoreOptions(long segmentBytes, double compactDeadRatio, long compactIntervalMillis) {
    public static final long DEFAULT_SEGMENT_BYTES = 256L << 20;
    public static final double DEFAULT_COMPACT_DEAD_RATIO = 0.5;
    public static final long DEFAULT_COMPACT_INTERVAL_MILLIS = 30_000;

    public StoreOptions {
        if (segmentBytes < RecordHeader.BYTES) {
            throw new IllegalArgumentException("segmentBytes must be at least " + RecordHeader.BYTES + ": " + segmentBytes);
        }
        // a ratio of 0 would rewrite fully live segments over and over
        if (!(compactDeadRatio > 0 && compactDeadRatio <= 1)) {
            throw new IllegalArgumentException("compactDeadRatio must be in (0, 1]: " + compactDeadRatio);
        }
        if (compactIntervalMillis < 0) {
            throw new IllegalArgumentException("compactIntervalMillis must not be negative: " + compactIntervalMillis);
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(DEFAULT_SEGMENT_BYTES, DEFAULT_COMPACT_DEAD_RATIO, DEFAULT_COMPACT_INTERVAL_MILLIS);
    }

    public StoreOptions withSegmentBytes(long bytes) {
        return new StoreOptions(bytes, compactDeadRatio, compactIntervalMillis);
    }

    public StoreOptions withCompactDeadRatio(double ratio) {
        return new StoreOptions(segmentBytes, ratio, compactIntervalMillis);
    }

    public StoreOptions withCompactIntervalMillis(long millis) {
        return new StoreOptions(segmentBytes, compactDeadRatio, millis);
    }
}
