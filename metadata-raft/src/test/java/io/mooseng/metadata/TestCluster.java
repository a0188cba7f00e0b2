package io.mooseng.metadata;

import io.mooseng.metadata.client.MetadataClientConfig;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.metadata.raft.MetadataServer;
import io.mooseng.metadata.raft.MetadataServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Metadata peers on loopback ports in one JVM, with clients that connect by address only. */
public final class TestCluster implements AutoCloseable {
    private final Path dir;
    private final List<String> addresses;
    private final UnaryOperator<MetadataServerConfig> tweak;
    private final Map<String, MetadataServer> servers = new LinkedHashMap<>();
    private final List<RaftMetadataService> clients = new ArrayList<>();

    private TestCluster(Path dir, List<String> addresses, UnaryOperator<MetadataServerConfig> tweak) {
        this.dir = dir;
        this.addresses = addresses;
        this.tweak = tweak;
    }

    public static TestCluster start(Path dir, int peers) throws IOException, InterruptedException {
        return start(dir, peers, UnaryOperator.identity());
    }

    public static TestCluster start(Path dir, int peers, UnaryOperator<MetadataServerConfig> tweak)
            throws IOException, InterruptedException {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            addresses.add("127.0.0.1:" + freePort());
        }
        TestCluster cluster = new TestCluster(dir, addresses, tweak);
        for (String a : addresses) {
            cluster.startPeer(a);
        }
        cluster.awaitLeader();
        return cluster;
    }

    public MetadataServer startPeer(String address) throws IOException {
        return start(configOf(address, storageOf(address)));
    }

    /** The configuration of one of this cluster's peers, on the given storage folder. */
    public MetadataServerConfig configOf(String address, Path storage) {
        return MetadataServerConfig.cluster(address, addresses, storage);
    }

    /** Starts a peer configured by the caller (a new member, a listener); it joins this cluster's list. */
    public MetadataServer start(MetadataServerConfig config) throws IOException {
        MetadataServer server = new MetadataServer(tweak.apply(config));
        server.start();
        servers.put(config.address(), server);
        return server;
    }

    public Path storageOf(String address) {
        return dir.resolve(address.replace(':', '_'));
    }

    public void stopPeer(String address) throws IOException {
        servers.remove(address).close();
    }

    public void awaitLeader() throws InterruptedException {
        for (MetadataServer s : servers.values()) {
            if (!s.awaitLeader(Duration.ofSeconds(20))) {
                throw new IllegalStateException("no leader known to " + s.address());
            }
        }
    }

    public MetadataServer leader() {
        return servers.values().stream().filter(s -> s.status().leader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no leader"));
    }

    public MetadataServer server(String address) {
        return servers.get(address);
    }

    public List<String> addresses() {
        return addresses;
    }

    public RaftMetadataService client() {
        return client(MetadataClientConfig.DEFAULTS);
    }

    /** A client holding directory leases, as a mount's. */
    public RaftMetadataService holderClient() {
        RaftMetadataService c = RaftMetadataService.connectLeaseHolder(addresses);
        clients.add(c);
        return c;
    }

    public RaftMetadataService client(MetadataClientConfig config) {
        RaftMetadataService c = RaftMetadataService.connect(addresses, config);
        clients.add(c);
        return c;
    }

    @Override
    public void close() throws IOException {
        clients.forEach(RaftMetadataService::close);
        clients.clear();
        for (MetadataServer s : servers.values()) {
            s.close();
        }
        servers.clear();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
