package io.mooseng.core.maintenance;

import io.mooseng.core.chunk.ChunkClients;
import io.mooseng.core.model.ShardId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Deletes shards that no block references: left by deletes whose chunkserver was down, by
 * uploads or writers that crashed before their commit, by repairs and moves whose old copy
 * came back. A shard must be seen unreferenced in consecutive censuses spanning the grace
 * period before it goes, which protects shards of writes still on their way to a commit.
 */
final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    private final ChunkClients clients;
    private final long graceMillis;
    private final Map<String, Map<ShardId, Long>> firstSeen = new HashMap<>();

    GarbageCollector(ChunkClients clients, long graceMillis) {
        this.clients = clients;
        this.graceMillis = graceMillis;
    }

    /** @return shards deleted */
    int collect(Map<String, Set<ShardId>> unreferenced, long now) {
        firstSeen.keySet().retainAll(unreferenced.keySet());
        int deleted = 0;
        for (Map.Entry<String, Set<ShardId>> e : unreferenced.entrySet()) {
            String node = e.getKey();
            Map<ShardId, Long> seen = firstSeen.computeIfAbsent(node, n -> new HashMap<>());
            seen.keySet().retainAll(e.getValue());
            for (ShardId shard : e.getValue()) {
                long since = seen.computeIfAbsent(shard, s -> now);
                if (now - since >= graceMillis && delete(node, shard)) {
                    seen.remove(shard);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private boolean delete(String node, ShardId shard) {
        try {
            clients.get(node).deleteShard(shard).get(30, TimeUnit.SECONDS);
            LOG.debug("orphan shard deleted: shard={} node={}", shard, node);
            return true;
        } catch (Exception e) {
            LOG.debug("orphan shard delete failed: shard={} node={} cause={}", shard, node, e.toString());
            return false;
        }
    }

    /** Forgets all candidates (leadership lost). */
    void reset() {
        firstSeen.clear();
    }
}
