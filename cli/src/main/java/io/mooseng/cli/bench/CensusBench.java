package io.mooseng.cli.bench;

import io.mooseng.core.chunk.ChunkClient;
import io.mooseng.core.chunk.ChunkClients;
import io.mooseng.core.chunk.ChunkserverDirectory;
import io.mooseng.core.chunk.RebuildRequest;
import io.mooseng.core.maintenance.MaintenanceConfig;
import io.mooseng.core.maintenance.MaintenanceService;
import io.mooseng.core.maintenance.ShardCensus;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.ShardId;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.StoredShard;
import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.metadata.raft.MetadataServer;
import io.mooseng.metadata.raft.MetadataServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code mooseng bench census}: the leader's side of losing one of many chunkservers, in one
 * process. A single-master metadata store is filled with blocks placed over simulated
 * chunkservers (block i's shard j on chunkserver (i + j) mod M), whose inventories are generated
 * from that placement in memory instead of served over sockets. One of them then stops beating:
 * the figures are the time, CPU and memory of the leader's step that finds it lost and queues
 * its blocks from the node index, and of one streaming census of a live chunkserver.
 */
@Command(name = "census", mixinStandardHelpOptions = true,
        description = "A lost chunkserver among many: time, CPU and memory to detect it and queue its blocks; one census.")
public final class CensusBench implements Callable<Integer> {
    private static final int BLOCKS_PER_OBJECT = 256;
    private static final long TIMEOUT_MILLIS = 60_000;

    @Option(names = "--dir", defaultValue = "./bench-census", description = "Data folder, deleted afterwards (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--chunkservers", defaultValue = "1000", description = "Simulated chunkservers (default: ${DEFAULT-VALUE}).")
    int chunkservers;

    @Option(names = "--shards", defaultValue = "100000000", description = "Shards to place, over all chunkservers (default: ${DEFAULT-VALUE}).")
    long shards;

    @Option(names = "--storage-class", defaultValue = "EC_8_4", description = "Class of the blocks (default: ${DEFAULT-VALUE}).")
    String storageClass;

    private StorageClass sc;
    private long blocks;

    @Override
    public Integer call() throws Exception {
        sc = StorageClass.parse(storageClass);
        if (chunkservers < sc.shardCount() + 1) {
            throw new IllegalArgumentException("--chunkservers must exceed the class's " + sc.shardCount() + " shards");
        }
        blocks = Math.max(1, shards / sc.shardCount());
        Folders.deleteTree(dir);
        Files.createDirectories(dir);
        String address = "127.0.0.1:" + freePort();
        MetadataServer server = new MetadataServer(MetadataServerConfig.singleNode(address, dir.resolve("meta")));
        try {
            server.start();
            if (!server.awaitLeader(Duration.ofSeconds(30))) {
                throw new IllegalStateException("no leader within 30 s");
            }
            try (RaftMetadataService md = RaftMetadataService.connect(List.of(address), MetadataClientConfig.DEFAULTS, server::queryLocally)) {
                run(md);
            }
        } finally {
            server.close();
            Folders.deleteTree(dir);
        }
        return 0;
    }

    private void run(RaftMetadataService md) throws Exception {
        System.out.printf("%,d simulated chunkservers, %,d blocks of %s = %,d shards, %d blocks an object%n",
                chunkservers, blocks, sc, blocks * sc.shardCount(), BLOCKS_PER_OBJECT);
        AtomicLong clock = new AtomicLong(System.currentTimeMillis());
        List<CompletableFuture<Void>> registered = new ArrayList<>();
        for (int n = 0; n < chunkservers; n++) {
            registered.add(md.registerChunkserver(info(n, clock.get())));
        }
        CompletableFuture.allOf(registered.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        fill(md);

        ChunkClients clients = node -> new SimulatedChunkserver(node);
        MaintenanceService maintenance = new MaintenanceService(md, new ChunkserverDirectory(md, 1_000, 10_000, System::currentTimeMillis), clients, null, null,
                MaintenanceConfig.DEFAULTS.withChunkserverTimeout(TIMEOUT_MILLIS), () -> true, "bench", clock::get);
        try {
            maintenance.queueLostChunkservers(); // every chunkserver seen now
            int victim = chunkservers / 2;
            clock.addAndGet(TIMEOUT_MILLIS + 1);
            List<CompletableFuture<Void>> beats = new ArrayList<>();
            for (int n = 0; n < chunkservers; n++) {
                if (n != victim) {
                    beats.add(md.registerChunkserver(info(n, clock.get())));
                }
            }
            CompletableFuture.allOf(beats.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            System.gc();
            Usage before = Usage.now();
            long started = System.nanoTime();
            List<String> lost = List.copyOf(maintenance.queueLostChunkservers());
            long queuedNanos = System.nanoTime() - started;
            Usage after = Usage.now();
            long queued = 0;
            long takeStarted = System.nanoTime();
            for (int taken = 1; taken > 0; ) {
                taken = md.takeDamagedBlocks(10_000).get(120, TimeUnit.SECONDS).size();
                queued += taken;
            }
            long takeNanos = System.nanoTime() - takeStarted;
            long expected = expectedBlocksOf(victim);
            System.out.printf("%nlost %s: detected and %,d blocks queued (of %,d with a shard there) in %.3f s, leader CPU %.3f s, "
                            + "heap %,d -> %,d MiB, RSS %,d -> %,d MiB%n", lost, queued, expected, queuedNanos / 1e9,
                    (after.cpuNanos - before.cpuNanos) / 1e9, before.heapMib, after.heapMib, before.rssMib, after.rssMib);
            System.out.printf("taking them from the queue with their rows (as repair does): %.3f s%n", takeNanos / 1e9);

            String live = "sim-" + (victim + 1);
            System.gc();
            before = Usage.now();
            started = System.nanoTime();
            ShardCensus census = ShardCensus.take(md, clients, List.of(live));
            long censusNanos = System.nanoTime() - started;
            after = Usage.now();
            System.out.printf("census of %s: %,d shards listed, %,d indexed, %d damaged blocks, %d unreferenced, in %.3f s, "
                            + "leader CPU %.3f s, heap %,d -> %,d MiB%n", live, census.listedShards(), census.indexedShards(),
                    census.damagedBlocks(), census.unreferencedShards(), censusNanos / 1e9, (after.cpuNanos - before.cpuNanos) / 1e9,
                    before.heapMib, after.heapMib);
            if (queued != expected || census.damagedBlocks() != 0 || census.unreferencedShards() != 0) {
                throw new IllegalStateException("the figures do not match the placement");
            }
        } finally {
            maintenance.close();
        }
    }

    /** Puts the blocks as objects of {@value #BLOCKS_PER_OBJECT} blocks, many in flight, showing progress. */
    private void fill(RaftMetadataService md) throws Exception {
        md.createBucket("census", sc, System.currentTimeMillis()).get(30, TimeUnit.SECONDS);
        long started = System.nanoTime();
        Semaphore inFlight = new Semaphore(64);
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        long objects = (blocks + BLOCKS_PER_OBJECT - 1) / BLOCKS_PER_OBJECT;
        for (long o = 0; o < objects; o++) {
            List<BlockRef> refs = new ArrayList<>(BLOCKS_PER_OBJECT);
            for (long i = o * BLOCKS_PER_OBJECT; i < Math.min(blocks, (o + 1) * BLOCKS_PER_OBJECT); i++) {
                refs.add(block(i));
            }
            ObjectManifest m = new ObjectManifest(refs.size() * (4L << 20), "e", 1, ObjectProperties.EMPTY, sc, refs, null);
            inFlight.acquire();
            md.putObject("census", ObjectKey.parse("o" + o), m).whenComplete((ok, e) -> {
                inFlight.release();
                if (e != null) {
                    failures.add(e);
                }
            });
            if (!failures.isEmpty()) {
                throw new IllegalStateException("fill failed", failures.get(0));
            }
            if (o % 1000 == 999) {
                System.out.printf("filled %,d of %,d blocks in %.0f s%n", (o + 1) * BLOCKS_PER_OBJECT, blocks, (System.nanoTime() - started) / 1e9);
            }
        }
        inFlight.acquire(64);
        inFlight.release(64);
        System.out.printf("filled %,d blocks (%,d shards) in %.0f s%n", blocks, blocks * sc.shardCount(), (System.nanoTime() - started) / 1e9);
    }

    /** Block {@code i}: an id spread over the key space as random ids are, shard j on chunkserver (i + j) mod M. */
    private BlockRef block(long i) {
        List<String> nodes = new ArrayList<>(sc.shardCount());
        List<Integer> crcs = new ArrayList<>(sc.shardCount());
        for (int j = 0; j < sc.shardCount(); j++) {
            nodes.add("sim-" + (i + j) % chunkservers);
            crcs.add(j);
        }
        return new BlockRef(id(i), 4L << 20, sc, (int) ((4L << 20) / sc.dataShards()), nodes, crcs);
    }

    private static BlockId id(long i) {
        return new BlockId(i * 0x9E3779B97F4A7C15L, i);
    }

    private long expectedBlocksOf(int node) {
        long n = 0;
        for (int j = 0; j < sc.shardCount(); j++) {
            long first = Math.floorMod(node - j, chunkservers);
            n += first < blocks ? (blocks - 1 - first) / chunkservers + 1 : 0;
        }
        return n;
    }

    private ChunkserverInfo info(int n, long heartbeat) {
        return new ChunkserverInfo("sim-" + n, "10.0." + (n >> 8) + "." + (n & 255) + ":9420", Map.of("rack", "r" + n % 40),
                1L << 40, 0, 1L << 40, heartbeat);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The process's CPU time, heap in use and resident memory. */
    private record Usage(long cpuNanos, long heapMib, long rssMib) {
        static Usage now() throws Exception {
            long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
            long rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0) >> 10;
            return new Usage(cpu, heap, rss);
        }
    }

    /** A chunkserver answering its inventory from the placement, in shard id order, as a real one does. */
    private final class SimulatedChunkserver implements ChunkClient {
        private final String node;

        SimulatedChunkserver(String node) {
            this.node = node;
        }

        @Override
        public String nodeId() {
            return node;
        }

        @Override
        public CompletableFuture<List<StoredShard>> listShards() {
            int n = Integer.parseInt(node.substring("sim-".length()));
            List<StoredShard> out = new ArrayList<>();
            for (int j = 0; j < sc.shardCount(); j++) {
                for (long i = Math.floorMod(n - j, chunkservers); i < blocks; i += chunkservers) {
                    out.add(new StoredShard(new ShardId(id(i), j), (4L << 20) / sc.dataShards()));
                }
            }
            out.sort((a, b) -> a.id().compareTo(b.id()));
            return CompletableFuture.completedFuture(out);
        }

        @Override
        public CompletableFuture<Void> writeShard(ShardId id, ByteBuffer data, int crc32c) {
            return unsupported();
        }

        @Override
        public CompletableFuture<ByteBuffer> readShard(ShardId id, long offset, int length) {
            return unsupported();
        }

        @Override
        public CompletableFuture<Void> deleteShard(ShardId id) {
            return unsupported();
        }

        @Override
        public CompletableFuture<Void> rebuildShard(RebuildRequest request) {
            return unsupported();
        }

        private <T> CompletableFuture<T> unsupported() {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("a simulated chunkserver only lists its inventory"));
        }

        @Override
        public void close() {
        }
    }
}
