package io.mooseng.chunkserver.store;

/**
 * What one compaction round did.
 *
 * @param segments       segment files rewritten and removed
 * @param reclaimedBytes bytes those files held minus the bytes copied out of them
 */
public record CompactionResult(int segments, long reclaimedBytes) {
}
