package io.mooseng.core.object;

import io.mooseng.core.chunk.ChunkClients;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ShardId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;

/**
 * Frees the shards of blocks no object references any more: replaced or deleted objects,
 * aborted uploads, writes that failed before commit. Best effort: a shard whose chunkserver
 * is down stays behind as an orphan for background garbage collection to find. A process
 * whose role may not delete shards ({@link ChunkClients#mayDelete()}: gateways and mounts under
 * mutual TLS) sends nothing and leaves them all to it (deleted after the masters' GC grace).
 */
final class ShardReclaimer {
    private static final Logger LOG = LoggerFactory.getLogger(ShardReclaimer.class);

    private final ChunkClients clients;

    ShardReclaimer(ChunkClients clients) {
        this.clients = clients;
    }

    void reclaim(Collection<BlockRef> blocks) {
        if (!clients.mayDelete()) {
            return;
        }
        for (BlockRef block : blocks) {
            for (int i = 0; i < block.shardNodes().size(); i++) {
                reclaim(new ShardId(block.id(), i), block.shardNodes().get(i));
            }
        }
    }

    /** Deletes one shard from one chunkserver; a failure leaves it for garbage collection. */
    void reclaim(ShardId shard, String node) {
        if (!clients.mayDelete()) {
            return;
        }
        try {
            clients.get(node).deleteShard(shard).whenComplete((v, e) -> {
                if (e != null) {
                    LOG.debug("shard left for GC: shard={} node={} cause={}", shard, node, e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("shard left for GC: shard={} node={} cause={}", shard, node, e.toString());
        }
    }
}
