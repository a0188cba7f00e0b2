package io.mooseng.chunkserver.transport;

import io.mooseng.core.chunk.RebuildRequest;
import io.mooseng.core.chunk.ec.ErasureCodecs;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StorageClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RebuildShard across real chunkservers: shard i of a block on server i, and a spare
 * (server {@value #SPARE}) asked to rebuild lost shards from the others.
 */
class RebuildShardTest {
    private static final int SPARE = 6;
    /** Not a multiple of the store's 64 KiB checksum pieces. */
    private static final int SHARD_SIZE = 300_001;

    @TempDir
    Path dir;
    private LocalChunkServers cluster;
    private final BlockId block = BlockId.random();

    @BeforeEach
    void start() throws Exception {
        cluster = LocalChunkServers.start(dir, SPARE + 1);
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void rebuildsALostDataShardAndALostParityShard() throws Exception {
        byte[][] shards = storeErasureCoded();
        delete(1);
        delete(4);

        for (int lost : new int[] {1, 4}) {
            rebuild(StorageClass.EC_4_2, lost, crc32c(shards[lost]), sources(1, 4));
            assertStoredOnSpare(lost, shards[lost]);
        }
    }

    @Test
    void rebuildsAroundAStoppedSource() throws Exception {
        byte[][] shards = storeErasureCoded();
        cluster.stop(2);
        delete(1);

        // server 2 is still named as a source: its read fails and shard 5 is fetched instead
        rebuild(StorageClass.EC_4_2, 1, crc32c(shards[1]), sources(1));
        assertStoredOnSpare(1, shards[1]);
    }

    @Test
    void skipsASourceWhoseShardIsCorrupt() throws Exception {
        byte[][] shards = storeErasureCoded();
        flipLastByte(cluster.onlySegment(0));
        MooseException corrupt = TestCalls.failure(cluster.client(0).readShard(shard(0), 0, SHARD_SIZE));
        assertEquals(ErrorCode.SHARD_CORRUPT, corrupt.code());

        rebuild(StorageClass.EC_4_2, 1, crc32c(shards[1]), sources(1));
        assertStoredOnSpare(1, shards[1]);
    }

    @Test
    void movesAShardFromTheSourceOfItsOwnIndex() throws Exception {
        byte[][] shards = storeErasureCoded();
        List<String> onlyItsOwn = new ArrayList<>(List.of("", "", "", "", "", ""));
        onlyItsOwn.set(3, cluster.address(3));

        rebuild(StorageClass.EC_4_2, 3, crc32c(shards[3]), onlyItsOwn);
        assertStoredOnSpare(3, shards[3]);
    }

    @Test
    void copiesAReplicatedShardFromTheFirstCopyThatAnswers() throws Exception {
        StorageClass threeCopies = StorageClass.replicated(3);
        byte[] copy = random(1, SHARD_SIZE);
        for (int i = 0; i < 3; i++) {
            write(i, copy);
        }
        cluster.stop(0);

        rebuild(threeCopies, 2, crc32c(copy), List.of(cluster.address(0), cluster.address(1), ""));
        assertStoredOnSpare(2, copy);
    }

    @Test
    void tooFewSurvivorsAreDataUnavailableAndStoreNothing() throws Exception {
        byte[][] shards = storeErasureCoded();
        delete(1);
        delete(2);
        delete(3);

        // 2 and 3 are named but gone: only 0, 4 and 5 answer
        MooseException e = TestCalls.failure(cluster.client(SPARE).rebuildShard(request(StorageClass.EC_4_2, 1, crc32c(shards[1]), sources(1))));
        assertEquals(ErrorCode.DATA_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("3 of 5 sources answered, 4 needed"), e.getMessage());
        assertEquals(-1, cluster.server(SPARE).store().size(shard(1)));

        e = TestCalls.failure(cluster.client(SPARE).rebuildShard(request(StorageClass.EC_4_2, 1, crc32c(shards[1]), sources(1, 2, 3))));
        assertEquals(ErrorCode.DATA_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("3 sources given, 4 needed"), e.getMessage());
        assertEquals(-1, cluster.server(SPARE).store().size(shard(1)));
    }

    @Test
    void aWrongExpectedChecksumIsShardCorruptAndStoresNothing() throws Exception {
        byte[][] shards = storeErasureCoded();
        delete(4);

        MooseException e = TestCalls.failure(cluster.client(SPARE).rebuildShard(
                request(StorageClass.EC_4_2, 4, crc32c(shards[4]) + 1, sources(4))));
        assertEquals(ErrorCode.SHARD_CORRUPT, e.code());
        assertTrue(e.getMessage().contains("not stored"), e.getMessage());
        assertEquals(-1, cluster.server(SPARE).store().size(shard(4)));
    }

    /** A random EC 4+2 block: shard i stored on server i. */
    private byte[][] storeErasureCoded() throws Exception {
        byte[][] shards = new byte[6][];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = i < 4 ? random(i, SHARD_SIZE) : new byte[SHARD_SIZE];
        }
        ErasureCodecs.of(4, 2).encodeParity(shards, 0, SHARD_SIZE);
        for (int i = 0; i < shards.length; i++) {
            write(i, shards[i]);
        }
        return shards;
    }

    private void write(int i, byte[] data) throws Exception {
        cluster.client(i).writeShard(shard(i), ByteBuffer.wrap(data), crc32c(data)).get(30, TimeUnit.SECONDS);
    }

    private void delete(int i) throws Exception {
        cluster.client(i).deleteShard(shard(i)).get(10, TimeUnit.SECONDS);
    }

    private void rebuild(StorageClass sc, int index, int crc, List<String> sources) throws Exception {
        cluster.client(SPARE).rebuildShard(request(sc, index, crc, sources)).get(60, TimeUnit.SECONDS);
    }

    private RebuildRequest request(StorageClass sc, int index, int crc, List<String> sources) {
        return new RebuildRequest(block, sc, SHARD_SIZE, index, crc, sources);
    }

    /** Server i for shard i, "" for the lost ones. */
    private List<String> sources(int... lost) {
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int index = i;
            sources.add(Arrays.stream(lost).anyMatch(l -> l == index) ? "" : cluster.address(i));
        }
        return sources;
    }

    private void assertStoredOnSpare(int index, byte[] expected) throws Exception {
        ByteBuffer stored = cluster.server(SPARE).store().get(shard(index), 0, SHARD_SIZE);
        byte[] bytes = new byte[stored.remaining()];
        stored.get(bytes);
        assertArrayEquals(expected, bytes);
        assertEquals(crc32c(expected), crc32c(bytes));
    }

    private ShardId shard(int index) {
        return new ShardId(block, index);
    }

    private static byte[] random(long seed, int size) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static void flipLastByte(Path file) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            long last = ch.size() - 1;
            ch.read(b, last);
            b.put(0, (byte) (b.get(0) ^ 0x40));
            ch.write(b.rewind(), last);
        }
    }

    private static int crc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return (int) crc.getValue();
    }
}
