package io.mooseng.metadata;

import com.sun.net.httpserver.HttpServer;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.NotificationRule;
import io.mooseng.core.model.NotifyTarget;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.notify.NotificationSender;
import io.mooseng.metadata.client.RaftMetadataService;
import io.mooseng.metadata.raft.MetadataServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static io.mooseng.metadata.Fixtures.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bucket notifications are queued in the replicated state with their change and delivered by
 * whichever master leads: events the old leader could not deliver arrive from the new one.
 */
@Timeout(60)
class NotificationFailoverTest {
    private static final Pattern KEY = Pattern.compile("\"key\":\"([^\"]*)\"");
    private static final NotificationSender.Settings FAST = new NotificationSender.Settings(Duration.ofMillis(50), Duration.ofMillis(50),
            Duration.ofMillis(300), Duration.ofSeconds(5), 100);

    @Test
    void undeliveredEventsSurviveTheLeaderAndArriveFromTheNextOne(@TempDir Path dir) throws Exception {
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        AtomicBoolean accepting = new AtomicBoolean();
        AtomicInteger attempts = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            attempts.incrementAndGet();
            if (accepting.get()) {
                Matcher m = KEY.matcher(body);
                if (m.find()) {
                    delivered.add(m.group(1));
                }
            }
            exchange.sendResponseHeaders(accepting.get() ? 204 : 500, -1);
            exchange.close();
        });
        receiver.start();
        List<NotificationSender> senders = new ArrayList<>();
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            RaftMetadataService meta = cluster.client();
            join(meta.putNotifyTarget(new NotifyTarget("hook", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/")));
            join(meta.createBucket("n", StorageClass.EC_4_2, 1));
            join(meta.setBucketPolicy("n", BucketPolicy.of(StorageClass.EC_4_2).withNotifications(List.of(
                    new NotificationRule("all", "hook", List.of("s3:ObjectCreated:*"), "in/", "")))));
            for (String address : cluster.addresses()) {
                MetadataServer server = cluster.server(address);
                senders.add(NotificationSender.start(cluster.client(), server::leading, "us-east-1", FAST));
            }
            for (int i = 0; i < 10; i++) {
                join(meta.putObject("n", key("in/" + i), manifest(1, "e" + i, i)));
            }
            join(meta.putObject("n", key("out/ignored"), manifest(1, "x", 1)));
            assertEquals(10, join(meta.pendingNotifications(0, 100)).size(), "one event per matching write, queued with it");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (attempts.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(attempts.get() >= 2, "the leader tried and retried");

            cluster.stopPeer(cluster.leader().address());
            accepting.set(true);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (delivered.size() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Set<String> expected = new java.util.TreeSet<>();
            for (int i = 0; i < 10; i++) {
                expected.add("in/" + i);
            }
            assertEquals(expected, new java.util.TreeSet<>(delivered));
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!join(meta.pendingNotifications(0, 100)).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(join(meta.pendingNotifications(0, 100)).isEmpty(), "acknowledged events leave the queue");
        } finally {
            senders.forEach(NotificationSender::close);
            receiver.stop(0);
        }
    }
}
