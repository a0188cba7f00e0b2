package io.mooseng.s3compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRuleName;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.TopicConfiguration;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bucket notifications to a webhook target: configured by the operator, named by a bucket's
 * configuration, delivered from the namespace's queue with retries to a receiver that first fails.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BucketNotificationTest {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REFUSALS = 3;

    private static S3Client s3;
    private static HttpServer receiver;
    private static final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private static final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void setUp() throws IOException {
        s3 = cluster.client();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/events", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            // the first deliveries fail, as a receiver that is restarting would
            int status = requests.incrementAndGet() <= REFUSALS ? 503 : 200;
            if (status == 200) {
                received.add(JSON.readTree(new String(body, StandardCharsets.UTF_8)).get("Records").get(0));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        cluster.admin("notify", "target", "add", "hook", "--url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/events");
    }

    @AfterAll
    static void tearDown() {
        receiver.stop(0);
    }

    private static QueueConfiguration rule(String arn, String prefix, String suffix) {
        return QueueConfiguration.builder().id("images").queueArn(arn).events(Event.S3_OBJECT_CREATED, Event.S3_OBJECT_REMOVED)
                .filter(f -> f.key(k -> k.filterRules(r -> r.name(FilterRuleName.PREFIX).value(prefix),
                        r -> r.name(FilterRuleName.SUFFIX).value(suffix)))).build();
    }

    @Test
    void everyMatchingEventArrivesDespiteAFailingReceiver() throws Exception {
        String bucket = cluster.newBucket("notify");
        assertTrue(s3.getBucketNotificationConfiguration(b -> b.bucket(bucket)).queueConfigurations().isEmpty());
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(c -> c.queueConfigurations(
                rule("arn:mooseng:sqs::hook:webhook", "images/", ".jpg"))));
        QueueConfiguration stored = s3.getBucketNotificationConfiguration(b -> b.bucket(bucket)).queueConfigurations().getFirst();
        assertEquals("arn:mooseng:sqs::hook:webhook", stored.queueArn());
        assertEquals(List.of(Event.S3_OBJECT_CREATED, Event.S3_OBJECT_REMOVED), stored.events());
        assertEquals(2, stored.filter().key().filterRules().size());

        s3.putObject(b -> b.bucket(bucket).key("images/a b.jpg"), RequestBody.fromString("jpeg"));
        s3.putObject(b -> b.bucket(bucket).key("images/notes.txt"), RequestBody.fromString("not an image"));
        s3.putObject(b -> b.bucket(bucket).key("other/c.jpg"), RequestBody.fromString("elsewhere"));
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("images/big.jpg")).uploadId();
        String etag = s3.uploadPart(b -> b.bucket(bucket).key("images/big.jpg").uploadId(id).partNumber(1), RequestBody.fromString("p"))
                .eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("images/big.jpg").uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("images/a b.jpg").destinationBucket(bucket).destinationKey("images/copy.jpg"));
        s3.deleteObject(b -> b.bucket(bucket).key("images/a b.jpg"));
        s3.deleteObject(b -> b.bucket(bucket).key("images/never-there.jpg"));

        Set<String> expected = Set.of("ObjectCreated:Put images/a+b.jpg", "ObjectCreated:CompleteMultipartUpload images/big.jpg",
                "ObjectCreated:Put images/copy.jpg", "ObjectRemoved:Delete images/a+b.jpg");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!names(bucket).containsAll(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(expected, names(bucket), "every matching event, none of the filtered ones");
        assertTrue(requests.get() > REFUSALS, "the refused deliveries were retried");

        JsonNode put = ofBucket(bucket).stream().filter(r -> r.at("/eventName").asText().equals("ObjectCreated:Put")
                && r.at("/s3/object/key").asText().equals("images/a+b.jpg")).findFirst().orElseThrow();
        assertEquals("aws:s3", put.at("/eventSource").asText());
        assertEquals(bucket, put.at("/s3/bucket/name").asText());
        assertEquals("images", put.at("/s3/configurationId").asText());
        assertEquals(4, put.at("/s3/object/size").asLong());
        assertEquals(s3.headObject(b -> b.bucket(bucket).key("images/copy.jpg")).eTag().replace("\"", ""), put.at("/s3/object/eTag").asText());
        List<String> sequencers = ofBucket(bucket).stream().map(r -> r.at("/s3/object/sequencer").asText()).distinct().toList();
        assertEquals(sequencers.stream().sorted().toList(), sequencers, "delivered in queue order");

        long emptyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cluster.admin("notify", "pending", "--json").trim().equals("[ ]") && System.nanoTime() < emptyBy) {
            Thread.sleep(100);
        }
        assertEquals("[ ]", cluster.admin("notify", "pending", "--json").trim(), "delivered events leave the queue");
    }

    private static List<JsonNode> ofBucket(String bucket) {
        return received.stream().filter(r -> r.at("/s3/bucket/name").asText().equals(bucket)).toList();
    }

    private static Set<String> names(String bucket) {
        return ofBucket(bucket).stream().map(r -> r.at("/eventName").asText() + " " + r.at("/s3/object/key").asText())
                .collect(Collectors.toSet());
    }

    @Test
    void configurationsNamingUnknownTargetsOrOtherDestinationsAreRefused() {
        String bucket = cluster.newBucket("notify-bad");
        assertS3Error(400, "InvalidArgument", () -> s3.putBucketNotificationConfiguration(b -> b.bucket(bucket)
                .notificationConfiguration(c -> c.queueConfigurations(rule("arn:mooseng:sqs::nobody:webhook", "", "")))));
        assertS3Error(400, "InvalidArgument", () -> s3.putBucketNotificationConfiguration(b -> b.bucket(bucket)
                .notificationConfiguration(c -> c.queueConfigurations(rule("arn:aws:sqs:us-east-1:123456789012:queue", "", "")))));
        assertS3Error(400, "InvalidArgument", () -> s3.putBucketNotificationConfiguration(b -> b.bucket(bucket)
                .notificationConfiguration(NotificationConfiguration.builder().topicConfigurations(TopicConfiguration.builder()
                        .topicArn("arn:aws:sns:us-east-1:123456789012:topic").events(Event.S3_OBJECT_CREATED).build()).build())));
        assertS3Error(400, "InvalidArgument", () -> s3.putBucketNotificationConfiguration(b -> b.bucket(bucket)
                .notificationConfiguration(c -> c.queueConfigurations(QueueConfiguration.builder().queueArn("arn:mooseng:sqs::hook:webhook")
                        .events(Event.S3_OBJECT_RESTORE_POST).build()))));
        assertTrue(s3.getBucketNotificationConfiguration(b -> b.bucket(bucket)).queueConfigurations().isEmpty(), "nothing refused was kept");
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(c -> c.queueConfigurations(
                rule("arn:mooseng:sqs::hook:webhook", "", ""))));
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(NotificationConfiguration.builder().build()));
        assertTrue(s3.getBucketNotificationConfiguration(b -> b.bucket(bucket)).queueConfigurations().isEmpty(), "an empty configuration clears");
    }
}
