package io.mooseng.core.object;

import io.mooseng.core.chunk.ChunkserverDirectory;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.MetadataService;
import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.memory.LentBytes;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.placement.RendezvousPlacement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stripe writer and reader over fault-injecting in-memory chunkservers. */
class DataPathTest {
    private static final int BLOCK = 64 << 10;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final MemoryChunkCluster cluster = new MemoryChunkCluster(12);
    private final ChunkserverDirectory directory = new ChunkserverDirectory(registryOf(cluster.infos()), 60_000, 60_000, System::currentTimeMillis);
    private final ObjectServiceConfig config = new ObjectServiceConfig(BLOCK, 4096, 2, 2, StorageClass.EC_4_2, 5 << 20, 0, 1000);
    private final BlockWriter blockWriter = new BlockWriter(cluster, directory, new RendezvousPlacement(), pool);
    private final List<ShardId> reported = new CopyOnWriteArrayList<>();
    private final BlockReader blockReader = new BlockReader(cluster, directory, pool, reported::add);
    private final ByteBudget budget = new ByteBudget("test", 64L << 20);

    @AfterEach
    void stop() {
        pool.shutdownNow();
        assertEquals(0, budget.inUse(), "every reader and writer gave its memory back");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4096, 4097, BLOCK - 1, BLOCK, BLOCK + 1, 5 * BLOCK + 12345})
    void roundTripsEveryClassAndSize(int size) throws Exception {
        for (StorageClass sc : List.of(StorageClass.EC_4_2, StorageClass.erasure(8, 3), StorageClass.replicated(3))) {
            byte[] data = random(size, size);
            ObjectManifest m = write(sc, data, 7000);
            assertEquals(size, m.size());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)), m.etag());
            assertEquals(size <= 4096, m.inline(), "inline threshold");
            assertArrayEquals(data, read(m, 0, size));
            if (size > 10) {
                assertArrayEquals(java.util.Arrays.copyOfRange(data, 3, size - 5), read(m, 3, size - 8));
            }
        }
    }

    @Test
    void readsAroundLostAndCorruptShards() throws Exception {
        byte[] data = random(3 * BLOCK + 777, 1);
        ObjectManifest m = write(StorageClass.EC_4_2, data, 1000);
        BlockRef first = m.blocks().get(0);
        cluster.nodes.get(first.shardNodes().get(0)).down = true;
        cluster.nodes.get(first.shardNodes().get(2)).corrupt.add(new ShardId(first.id(), 2));
        assertArrayEquals(data, read(m, 0, data.length));
        // a range inside one lost shard, and one spanning lost and healthy shards
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 100, 200), read(m, 100, 100));
        int shard = first.shardSize();
        assertArrayEquals(java.util.Arrays.copyOfRange(data, shard - 10, 3 * shard + 10), read(m, shard - 10, 2 * shard + 20));
        // the corrupt shard is reported for repair; the one on a node that is down is not (liveness handles nodes)
        assertEquals(Set.of(new ShardId(first.id(), 2)), Set.copyOf(reported));
    }

    @Test
    void tooManyLostShardsFailInsteadOfReturningWrongBytes() {
        byte[] data = random(BLOCK, 2);
        ObjectManifest m = write(StorageClass.EC_4_2, data, 1000);
        BlockRef b = m.blocks().get(0);
        for (int i = 0; i < 3; i++) {
            cluster.nodes.get(b.shardNodes().get(i)).down = true;
        }
        MooseException e = assertThrows(MooseException.class, () -> read(m, 0, BLOCK));
        assertEquals(ErrorCode.DATA_UNAVAILABLE, e.code());
    }

    @Test
    void smallErasureCodedObjectsAreStoredAsCopiesThatTolerateAsManyLosses() throws Exception {
        ObjectServiceConfig replicating = new ObjectServiceConfig(BLOCK, 4096, 2, 2, StorageClass.EC_4_2, 5 << 20, 8192, 1000);
        for (int size : List.of(5000, 8192, 8193)) {
            byte[] data = random(size, size);
            StreamingObjectWriter<ObjectManifest> w = new StreamingObjectWriter<>(context(replicating), StorageClass.EC_4_2, false,
                    ObjectProperties.EMPTY, true, CompletableFuture::completedFuture, budget.tryAcquire(0));
            w.write(ByteBuffer.wrap(data, 0, 1000)).join();
            w.write(ByteBuffer.wrap(data, 1000, size - 1000)).join();
            ObjectManifest m = join(w.complete(null));
            assertEquals(StorageClass.EC_4_2, m.storageClass(), "the object keeps its class");
            BlockRef b = m.blocks().get(0);
            assertEquals(size <= 8192 ? StorageClass.replicated(3) : StorageClass.EC_4_2, b.storageClass());
            cluster.nodes.get(b.shardNodes().get(0)).down = true;
            cluster.nodes.get(b.shardNodes().get(1)).down = true;
            assertArrayEquals(data, read(m, 0, size));
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 10, 20), read(m, 10, 10));
            cluster.nodes.values().forEach(n -> n.down = false);
        }
    }

    @Test
    void writeMovesShardsOffADeadChunkserver() {
        cluster.nodes.get("cs3").down = true;
        byte[] data = random(4 * BLOCK, 3);
        ObjectManifest m = write(StorageClass.erasure(4, 2), data, 1000);
        for (BlockRef b : m.blocks()) {
            assertEquals(6, new HashSet<>(b.shardNodes()).size(), "distinct chunkservers");
            assertEquals(false, b.shardNodes().contains("cs3"));
        }
        assertArrayEquals(data, read(m, 0, data.length));
    }

    @Test
    void badDigestStoresNothing() {
        byte[] data = random(3 * BLOCK, 4);
        StreamingObjectWriter<ObjectManifest> w = writer(StorageClass.EC_4_2, CompletableFuture::completedFuture);
        w.write(ByteBuffer.wrap(data)).join();
        MooseException e = assertThrows(MooseException.class, () -> join(w.complete(new byte[16])));
        assertEquals(ErrorCode.BAD_DIGEST, e.code());
        waitUntil(() -> cluster.shardCount() == 0);
        assertEquals(0, cluster.shardCount());
    }

    @Test
    void abortDeletesWrittenShards() {
        StreamingObjectWriter<ObjectManifest> w = writer(StorageClass.EC_4_2, CompletableFuture::completedFuture);
        w.write(ByteBuffer.wrap(random(5 * BLOCK, 5))).join();
        w.abort().join();
        waitUntil(() -> cluster.shardCount() == 0);
        assertEquals(0, cluster.shardCount());
        assertNotNull(w.complete(null).handle((r, e) -> e).join());
    }

    @Test
    void aProcessThatMayNotDeleteLeavesFreedShardsToGarbageCollection() {
        cluster.deletesAllowed = false;
        StreamingObjectWriter<ObjectManifest> w = writer(StorageClass.EC_4_2, CompletableFuture::completedFuture);
        w.write(ByteBuffer.wrap(random(5 * BLOCK, 5))).join();
        w.abort().join();
        assertTrue(cluster.shardCount() > 0, "the written shards stay for the masters' GC");
        assertEquals(0, cluster.refusedDeletes.get(), "no delete was even sent");
    }

    private ObjectManifest write(StorageClass sc, byte[] data, int piece) {
        StreamingObjectWriter<ObjectManifest> w = writer(sc, CompletableFuture::completedFuture);
        for (int off = 0; off < data.length; off += piece) {
            w.write(ByteBuffer.wrap(data, off, Math.min(piece, data.length - off))).join();
        }
        return join(w.complete(null));
    }

    private StreamingObjectWriter<ObjectManifest> writer(StorageClass sc,
                                                         java.util.function.Function<ObjectManifest, CompletableFuture<ObjectManifest>> commit) {
        return new StreamingObjectWriter<>(context(config), sc, false, ObjectProperties.EMPTY, true, commit,
                budget.tryAcquire(StreamingObjectWriter.workingSet(config, sc, -1)));
    }

    private WriteContext context(ObjectServiceConfig c) {
        return new WriteContext(blockWriter, new ShardReclaimer(cluster), pool, c, System::currentTimeMillis);
    }

    private byte[] read(ObjectManifest m, long offset, long length) {
        ObjectReader r = m.inline() ? new InlineObjectReader(m.inlineData(), offset, length)
                : new StreamingObjectReader(blockReader, m, offset, length, 2,
                budget.tryAcquire(StreamingObjectReader.workingSet(config, length)));
        try (r) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (LentBytes b = join(r.read()); b != null; b = join(r.read())) {
                byte[] chunk = new byte[b.length()];
                b.bytes().get(chunk);
                b.release();
                out.writeBytes(chunk);
            }
            assertNull(join(r.read()));
            return out.toByteArray();
        }
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw MooseException.of(e);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void waitUntil(java.util.function.BooleanSupplier done) {
        long deadline = System.currentTimeMillis() + 5000;
        while (!done.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
    }

    /** A metadata service that only knows the chunkserver registry, which is all the data path asks of it. */
    private static MetadataService registryOf(List<ChunkserverInfo> infos) {
        return (MetadataService) Proxy.newProxyInstance(MetadataService.class.getClassLoader(), new Class<?>[]{MetadataService.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("listChunkservers")) {
                        return CompletableFuture.completedFuture(infos);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
