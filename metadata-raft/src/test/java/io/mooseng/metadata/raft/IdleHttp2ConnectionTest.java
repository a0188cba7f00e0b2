package io.mooseng.metadata.raft;

import io.mooseng.metadata.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The leader watch's connection against a real Ratis gRPC port: kept open while the peer runs, closed when it stops. */
@Timeout(60)
class IdleHttp2ConnectionTest {
    @Test
    void staysOpenWhileThePeerRunsAndEndsWhenItStops(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 1)) {
            String address = cluster.addresses().get(0);
            IdleHttp2Connection connection = IdleHttp2Connection.open(
                    new InetSocketAddress(RaftPeers.host(address), RaftPeers.port(address)), Duration.ofSeconds(1));
            CountDownLatch closed = new CountDownLatch(1);
            Thread.ofVirtual().start(() -> {
                connection.awaitClose();
                closed.countDown();
            });
            assertFalse(closed.await(2, TimeUnit.SECONDS), "the gRPC server dropped an idle HTTP/2 client");
            long start = System.nanoTime();
            cluster.stopPeer(address);
            assertTrue(closed.await(10, TimeUnit.SECONDS), "connection still open after the peer stopped");
            System.out.printf("IdleHttp2ConnectionTest: closed %d ms after the stop began%n", (System.nanoTime() - start) / 1_000_000);
            assertFalse(connection.closedLocally());
        }
    }
}
