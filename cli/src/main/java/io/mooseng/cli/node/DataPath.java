package io.mooseng.cli.node;

import io.mooseng.chunkserver.transport.ChunkClientOptions;
import io.mooseng.chunkserver.transport.ChunkClientPool;
import io.mooseng.core.chunk.ChunkClients;
import io.mooseng.core.chunk.ChunkserverDirectory;
import io.mooseng.core.chunk.RefreshingChunkClients;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.metadata.MetadataService;
import io.mooseng.core.object.ObjectService;
import io.mooseng.core.object.ObjectServiceConfig;
import io.mooseng.core.placement.PlacementPolicy;
import io.mooseng.core.placement.RendezvousPlacement;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * What any process that reads or writes object data needs: the chunkserver directory, the
 * shard clients, a coding pool and the {@link ObjectService} over them. Gateways and the
 * masters' maintenance service each open one.
 */
public final class DataPath implements AutoCloseable {
    private static final long DIRECTORY_REFRESH_MILLIS = 5_000;
    private static final long SUSPECT_MILLIS = 10_000;

    private final ExecutorService codingPool;
    private final ChunkserverDirectory directory;
    private final ChunkClientPool pool;
    private final ChunkClients clients;
    private final PlacementPolicy placement = new RendezvousPlacement();
    private final ObjectService objects;

    private DataPath(Vertx vertx, MetadataService metadata, ObjectServiceConfig config, ByteBudget budget, LongSupplier clock,
                     ChunkClientOptions chunkClients) {
        AtomicInteger n = new AtomicInteger();
        this.codingPool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
            Thread t = new Thread(r, "mooseng-coding-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.directory = new ChunkserverDirectory(metadata, DIRECTORY_REFRESH_MILLIS, SUSPECT_MILLIS, System::currentTimeMillis);
        // the pool resolves an id on every shard call: parse each registered address once
        Map<String, SocketAddress> parsed = new ConcurrentHashMap<>();
        this.pool = new ChunkClientPool(vertx, nodeId -> directory.addressOf(nodeId)
                .map(a -> parsed.computeIfAbsent(a, text -> {
                    HostPort hp = HostPort.parse(text);
                    return SocketAddress.inetSocketAddress(hp.port(), hp.host());
                }))
                .orElseThrow(() -> new IllegalStateException("unknown chunkserver " + nodeId)), chunkClients);
        this.clients = new RefreshingChunkClients(pool, directory);
        this.objects = new ObjectService(metadata, clients, directory, placement, config, codingPool, clock, budget);
    }

    /** A data path that reads the chunkserver registry on first use (a master must start while the group is busy). */
    public static DataPath create(Vertx vertx, MetadataService metadata, ObjectServiceConfig config, ByteBudget budget) {
        return create(vertx, metadata, config, budget, ChunkClientOptions.defaults());
    }

    /** @param chunkClients settings of the shard clients (with TLS: this process's certificate) */
    public static DataPath create(Vertx vertx, MetadataService metadata, ObjectServiceConfig config, ByteBudget budget,
                                  ChunkClientOptions chunkClients) {
        return new DataPath(vertx, metadata, config, budget, System::currentTimeMillis, chunkClients);
    }

    /** Opens the data path once the chunkserver registry has been read. */
    public static DataPath open(Vertx vertx, MetadataService metadata, ObjectServiceConfig config, ByteBudget budget)
            throws Exception {
        return open(vertx, metadata, config, budget, System::currentTimeMillis);
    }

    /** @param clock the wall clock the data path dates writes by (milliseconds since the epoch) */
    public static DataPath open(Vertx vertx, MetadataService metadata, ObjectServiceConfig config, ByteBudget budget, LongSupplier clock)
            throws Exception {
        return open(vertx, metadata, config, budget, clock, ChunkClientOptions.defaults());
    }

    /** @param chunkClients settings of the shard clients (with TLS: this process's certificate) */
    public static DataPath open(Vertx vertx, MetadataService metadata, ObjectServiceConfig config, ByteBudget budget, LongSupplier clock,
                                ChunkClientOptions chunkClients) throws Exception {
        DataPath path = new DataPath(vertx, metadata, config, budget, clock, chunkClients);
        try {
            path.directory.refresh().get(60, TimeUnit.SECONDS);
            return path;
        } catch (Exception e) {
            path.close();
            throw e;
        }
    }

    public ObjectService objects() {
        return objects;
    }

    public ChunkserverDirectory directory() {
        return directory;
    }

    public ChunkClients clients() {
        return clients;
    }

    public PlacementPolicy placement() {
        return placement;
    }

    @Override
    public void close() {
        pool.close();
        codingPool.shutdownNow();
    }
}
