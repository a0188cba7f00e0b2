package io.mooseng.metadata;

import io.mooseng.metadata.raft.MetadataServer;
import io.mooseng.metadata.raft.MetadataServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A peer that cannot start says so instead of lingering half-started. */
@Timeout(60)
class StartFailureTest {
    @Test
    void portInUse(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            MetadataServer server = new MetadataServer(MetadataServerConfig.singleNode(address, dir));
            assertThrows(IOException.class, server::start);
            server.close();
        }
    }

    @Test
    void storageInUse(@TempDir Path dir) throws Exception {
        String first = "127.0.0.1:" + TestCluster.freePort();
        try (MetadataServer running = new MetadataServer(MetadataServerConfig.singleNode(first, dir))) {
            running.start();
            assertTrue(running.awaitLeader(Duration.ofSeconds(10)));
            String second = "127.0.0.1:" + TestCluster.freePort();
            MetadataServer clash = new MetadataServer(MetadataServerConfig.cluster(second, List.of(first, second), dir));
            assertThrows(IOException.class, clash::start);
            clash.close();
        }
    }

    @Test
    void badConfig(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> MetadataServerConfig.singleNode("no-port", dir));
        assertThrows(IllegalArgumentException.class,
                () -> MetadataServerConfig.cluster("127.0.0.1:1", List.of("127.0.0.1:2"), dir));
    }
}
