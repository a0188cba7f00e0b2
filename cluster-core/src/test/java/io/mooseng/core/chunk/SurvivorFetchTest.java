package io.mooseng.core.chunk;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.BlockId;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SurvivorFetchTest {
    private static final BlockId BLOCK = new BlockId(1, 2);
    private static final List<String> SOURCES = List.of("a:1", "b:1", "c:1", "d:1", "e:1");

    private final Set<Integer> asked = ConcurrentHashMap.newKeySet();

    /** Shard i holds four bytes of value i; the shards in {@code broken} fail, in {@code shortOnes} come back short. */
    private SurvivorFetch.ShardRead shards(Set<Integer> broken, Set<Integer> shortOnes) {
        return i -> {
            asked.add(i);
            if (broken.contains(i)) {
                return CompletableFuture.failedFuture(new MooseException(ErrorCode.SHARD_NOT_FOUND, "gone"));
            }
            return CompletableFuture.completedFuture(ByteBuffer.wrap(new byte[]{(byte) i, (byte) i, (byte) i, (byte) i},
                    0, shortOnes.contains(i) ? 3 : 4));
        };
    }

    @Test
    void readsNoMoreShardsThanNeededWhenAllAnswer() {
        Map<Integer, ByteBuffer> got = SurvivorFetch.fetch(BLOCK, 4, SOURCES, List.of(0, 1, 2, 3, 4), 3, shards(Set.of(), Set.of())).join();
        assertEquals(Set.of(0, 1, 2), got.keySet());
        assertEquals(ByteBuffer.wrap(new byte[]{2, 2, 2, 2}), got.get(2));
        assertEquals(Set.of(0, 1, 2), asked);
    }

    @Test
    void replacesFailedAndShortReadsWithTheNextCandidates() {
        Map<Integer, ByteBuffer> got = SurvivorFetch.fetch(BLOCK, 4, SOURCES, List.of(0, 1, 2, 3, 4), 3,
                shards(Set.of(1), Set.of(2))).join();
        assertEquals(Set.of(0, 3, 4), got.keySet());
    }

    @Test
    void failsNamingWhatAnsweredOnceTheCandidatesRunOut() {
        CompletionException e = assertThrows(CompletionException.class, () -> SurvivorFetch.fetch(BLOCK, 4, SOURCES,
                List.of(0, 1, 2, 3, 4), 3, shards(Set.of(0, 2, 4), Set.of())).join());
        MooseException cause = MooseException.of(e);
        assertEquals(ErrorCode.DATA_UNAVAILABLE, cause.code());
        assertTrue(cause.getMessage().contains("2 of 5 sources answered, 3 needed"), cause.getMessage());
        assertTrue(cause.getMessage().contains("shard 4 at e:1"), cause.getMessage());
    }

    @Test
    void refusesFewerCandidatesThanNeededWithoutReading() {
        CompletableFuture<Map<Integer, ByteBuffer>> f = SurvivorFetch.fetch(BLOCK, 4, SOURCES, List.of(0, 1), 3, shards(Set.of(), Set.of()));
        assertTrue(f.isCompletedExceptionally());
        assertEquals(Set.of(), asked);
    }
}
