package io.mooseng.s3compat;

import org.apache.http.impl.conn.SystemDefaultDnsResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Virtual-hosted-style addressing (the SDK's default, {@code forcePathStyle(false)}): a gateway
 * started with {@code --virtual-host-domain s3.localhost} takes {@code BUCKET.s3.localhost} as the
 * bucket. The client resolves every {@code *.s3.localhost} name to loopback itself, as a wildcard
 * DNS record would.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VirtualHostTest {
    private static final String DOMAIN = "s3.localhost";

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(null, DOMAIN);

    private static final Set<String> hostsAsked = ConcurrentHashMap.newKeySet();
    private static S3Client s3;

    @BeforeAll
    static void setUp() {
        URI endpoint = URI.create("http://" + DOMAIN + ":" + cluster.endpoint().getPort());
        s3 = S3Client.builder()
                .endpointOverride(endpoint)
                .region(S3Clients.REGION)
                .forcePathStyle(false)
                .credentialsProvider(S3Clients.credentials(cluster.keys()))
                .httpClientBuilder(ApacheHttpClient.builder().dnsResolver(host -> host.equals(DOMAIN) || host.endsWith("." + DOMAIN)
                        ? new InetAddress[]{InetAddress.getLoopbackAddress()} : SystemDefaultDnsResolver.INSTANCE.resolve(host)))
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        hostsAsked.add(context.httpRequest().host());
                    }
                }))
                .build();
    }

    @AfterAll
    static void tearDown() {
        s3.close();
    }

    @Test
    void bucketsAndObjectsAreAddressedByHostName() {
        String bucket = "vhost-objects";
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("dir/a b.txt"), RequestBody.fromString("by host"));
        assertEquals("by host", s3.getObjectAsBytes(b -> b.bucket(bucket).key("dir/a b.txt")).asUtf8String());
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("dir/a b.txt").destinationBucket(bucket).destinationKey("copy.txt"));
        assertEquals(List.of("copy.txt", "dir/a b.txt"),
                s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList());
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")).uploadId();
        String etag = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(id).partNumber(1), RequestBody.fromString("part")).eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(ObjectIdentifier.builder().key("copy.txt").build(),
                ObjectIdentifier.builder().key("mp").build())));
        assertEquals(List.of("dir/a b.txt"), s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList());
        // what the path-style client of the same cluster sees
        assertEquals("by host", cluster.client().getObjectAsBytes(b -> b.bucket(bucket).key("dir/a b.txt")).asUtf8String());
        assertTrue(hostsAsked.contains(bucket + "." + DOMAIN), "requests went to the bucket's host name: " + hostsAsked);
        assertTrue(s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket)), "the domain itself is the service");
        assertTrue(hostsAsked.contains(DOMAIN), hostsAsked.toString());
    }
}
