package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.ChunkServer;
import io.mooseng.chunkserver.ChunkServerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real chunkservers on loopback ports of one Vert.x instance, each with its store in its own
 * directory, and clients of them by "127.0.0.1:port" (the form rebuild sources take).
 */
final class LocalChunkServers implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final List<ChunkServer> servers = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    private final List<Boolean> running = new ArrayList<>();
    private final ChunkClientPool clients = ChunkClientPool.byAddress(vertx, ChunkClientOptions.defaults());

    static LocalChunkServers start(Path root, int count) throws Exception {
        LocalChunkServers cluster = new LocalChunkServers();
        try {
            for (int i = 0; i < count; i++) {
                Path dir = root.resolve("cs-" + i);
                ChunkServer server = await(new ChunkServer(cluster.vertx, "cs-" + i,
                        ChunkServerOptions.defaults(dir).withHost("127.0.0.1").withPort(0).withIoThreads(4)).start());
                cluster.servers.add(server);
                cluster.dirs.add(dir);
                cluster.addresses.add("127.0.0.1:" + server.port());
                cluster.running.add(true);
            }
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    Vertx vertx() {
        return vertx;
    }

    ChunkServer server(int i) {
        return servers.get(i);
    }

    /** host:port of server i, valid (but refusing connections) after it stopped. */
    String address(int i) {
        return addresses.get(i);
    }

    TcpChunkClient client(int i) {
        return (TcpChunkClient) clients.get(addresses.get(i));
    }

    void stop(int i) throws Exception {
        running.set(i, false);
        await(servers.get(i).stop());
    }

    /** Server i's only segment file (tests that damage one store only one shard on it). */
    Path onlySegment(int i) throws IOException {
        try (Stream<Path> files = Files.list(dirs.get(i))) {
            List<Path> segments = files.filter(f -> f.getFileName().toString().startsWith("seg-")).toList();
            if (segments.size() != 1) {
                throw new IllegalStateException("expected one segment in " + dirs.get(i) + ": " + segments);
            }
            return segments.get(0);
        }
    }

    @Override
    public void close() throws Exception {
        clients.close();
        for (int i = 0; i < servers.size(); i++) {
            if (running.get(i)) {
                stop(i);
            }
        }
        await(vertx.close());
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
