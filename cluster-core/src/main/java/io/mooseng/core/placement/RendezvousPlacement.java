package io.mooseng.core.placement;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.ChunkserverInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Weighted rendezvous (highest-random-weight) placement over failure domains.
 *
 * <p>Every candidate gets a score for the block, {@code -weight / ln(u)} where u in (0, 1)
 * is a hash of (block id, chunkserver id) and weight is its capacity in bytes (0 counts
 * as 1): the best score wins with probability proportional to weight. Shards are then
 * picked one at a time: the next pick is the best-scored unused candidate among those
 * whose zone, then rack, then host holds the fewest shards so far, so shards spread over
 * zones first, then racks, then hosts as evenly as the topology allows. Shard i goes to
 * the i-th pick. Labels are global names: a rack name used in two zones is one rack, so
 * name racks and hosts uniquely across the cluster. A missing label defaults to the
 * chunkserver id, i.e. a domain of its own.
 *
 * <p>Stability: scores depend only on the block and the chunkserver, not on the other
 * candidates, so removing a chunkserver that holds none of a block's shards changes
 * nothing, and (with every server in its own domain) removing one that holds a shard
 * replaces just that server in the chosen set. Shard indexes of the later picks may shift
 * then; no deterministic placement can keep both the set and every index stable, so a
 * repairer should keep surviving shards where they are and send only the lost indexes to
 * the newly chosen servers.
 *
 * <p>Pure and deterministic: the answer does not depend on the order of the candidates.
 * Thread-safe (stateless).
 */
public final class RendezvousPlacement implements PlacementPolicy {
    private static final String ZONE = "zone";
    private static final String RACK = "rack";
    private static final String HOST = "host";
    private static final double TWO_TO_MINUS_53 = 0x1.0p-53;

    @Override
    public List<ChunkserverInfo> place(BlockId block, int shardCount, List<ChunkserverInfo> candidates) {
        return placeBeside(block, shardCount, List.of(), candidates);
    }

    @Override
    public List<ChunkserverInfo> placeBeside(BlockId block, int shardCount, List<ChunkserverInfo> holders,
                                             List<ChunkserverInfo> candidates) {
        if (shardCount < 0) {
            throw new IllegalArgumentException("negative shard count: " + shardCount);
        }
        if (candidates.size() < shardCount) {
            throw new MooseException(ErrorCode.INSUFFICIENT_CHUNKSERVERS,
                    "block " + block + " needs " + shardCount + " chunkservers, only " + candidates.size() + " available");
        }
        List<Scored> ranked = rank(block, candidates);
        Map<String, Integer> used = new HashMap<>();
        for (ChunkserverInfo holder : holders) {
            for (String domain : new Scored(holder, 0).domains) {
                used.merge(domain, 1, Integer::sum);
            }
        }
        List<ChunkserverInfo> chosen = new ArrayList<>(shardCount);
        for (int shard = 0; shard < shardCount; shard++) {
            Scored pick = leastLoaded(ranked, used);
            ranked.remove(pick);
            for (String domain : pick.domains) {
                used.merge(domain, 1, Integer::sum);
            }
            chosen.add(pick.server);
        }
        return List.copyOf(chosen);
    }

    /** The rendezvous score of a chunkserver for a block: higher wins. */
    public static double score(BlockId block, ChunkserverInfo server) {
        double weight = Math.max(1L, server.capacityBytes());
        double u = ((hash(block, server.id()) >>> 11) + 0.5) * TWO_TO_MINUS_53;
        return -weight / Math.log(u);
    }

    /** Candidates best score first, ties by id, so the input order never matters. */
    private static List<Scored> rank(BlockId block, List<ChunkserverInfo> candidates) {
        Set<String> ids = new HashSet<>();
        List<Scored> ranked = new ArrayList<>(candidates.size());
        for (ChunkserverInfo server : candidates) {
            if (!ids.add(server.id())) {
                throw new IllegalArgumentException("chunkserver listed twice: " + server.id());
            }
            ranked.add(new Scored(server, score(block, server)));
        }
        ranked.sort(Comparator.comparingDouble((Scored s) -> s.score).reversed()
                .thenComparing(s -> s.server.id()));
        return ranked;
    }

    /** The first (best-scored) candidate with the fewest shards in its zone, then rack, then host. */
    private static Scored leastLoaded(List<Scored> ranked, Map<String, Integer> used) {
        Scored best = null;
        int[] bestLoad = null;
        for (Scored s : ranked) {
            int[] load = new int[s.domains.length];
            for (int i = 0; i < load.length; i++) {
                load[i] = used.getOrDefault(s.domains[i], 0);
            }
            if (best == null || Arrays.compare(load, bestLoad) < 0) {
                best = s;
                bestLoad = load;
            }
        }
        return best;
    }

    /** A 64-bit hash of (block, chunkserver id), mixed so that each bit is close to a fair coin. */
    private static long hash(BlockId block, String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h = (h ^ id.charAt(i)) * 0x100000001b3L;
        }
        return mix(mix(mix(h) ^ block.hi()) ^ block.lo());
    }

    /** The MurmurHash3 64-bit finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private static final class Scored {
        final ChunkserverInfo server;
        final double score;
        /** Zone, rack and host keys, most significant first; prefixed so levels never collide. */
        final String[] domains;

        Scored(ChunkserverInfo server, double score) {
            this.server = server;
            this.score = score;
            this.domains = new String[] {
                ZONE + "=" + server.label(ZONE), RACK + "=" + server.label(RACK), HOST + "=" + server.label(HOST)};
        }
    }
}
