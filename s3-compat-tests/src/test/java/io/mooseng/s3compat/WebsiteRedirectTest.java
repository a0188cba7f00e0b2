package io.mooseng.s3compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

import java.util.concurrent.TimeUnit;

import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** x-amz-website-redirect-location: kept by PutObject, CopyObject and multipart uploads, answered on GET and HEAD, validated. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebsiteRedirectTest {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    private static S3Client s3;
    private static String bucket;

    @BeforeAll
    static void setUp() {
        s3 = cluster.client();
        bucket = cluster.newBucket("redirect");
    }

    private static String redirectOf(String key) {
        return s3.headObject(b -> b.bucket(bucket).key(key)).websiteRedirectLocation();
    }

    @Test
    void putObjectKeepsTheLocationAndGetAndHeadAnswerIt() {
        s3.putObject(b -> b.bucket(bucket).key("page.html").websiteRedirectLocation("/other/page.html"), RequestBody.fromString("x"));
        assertEquals("/other/page.html", redirectOf("page.html"));
        assertEquals("/other/page.html", s3.getObjectAsBytes(b -> b.bucket(bucket).key("page.html")).response().websiteRedirectLocation());
        s3.putObject(b -> b.bucket(bucket).key("away").websiteRedirectLocation("https://example.com/a?b=c"), RequestBody.fromString("y"));
        assertEquals("https://example.com/a?b=c", redirectOf("away"));
        s3.putObject(b -> b.bucket(bucket).key("plain"), RequestBody.fromString("z"));
        assertNull(redirectOf("plain"));
    }

    @Test
    void locationsThatAreNoPathOrHttpUrlAreRefused() {
        for (String bad : new String[]{"other/page.html", "ftp://example.com/", "javascript:alert(1)", "/" + "a".repeat(2048)}) {
            assertS3Error(400, "InvalidRedirectLocation", () -> s3.putObject(b -> b.bucket(bucket).key("bad").websiteRedirectLocation(bad),
                    RequestBody.fromString("x")));
        }
        assertS3Error(400, "InvalidRedirectLocation", () -> s3.createMultipartUpload(b -> b.bucket(bucket).key("bad")
                .websiteRedirectLocation("elsewhere")));
    }

    @Test
    void copyKeepsTheSourceLocationOrTakesTheRequestOne() {
        s3.putObject(b -> b.bucket(bucket).key("source").websiteRedirectLocation("/target"), RequestBody.fromString("x"));
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("source").destinationBucket(bucket).destinationKey("copied"));
        assertEquals("/target", redirectOf("copied"));
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("source").destinationBucket(bucket).destinationKey("moved")
                .websiteRedirectLocation("http://example.com/"));
        assertEquals("http://example.com/", redirectOf("moved"));
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("source").destinationBucket(bucket).destinationKey("replaced")
                .metadataDirective(MetadataDirective.REPLACE));
        assertNull(redirectOf("replaced"));
        // a new location alone is a change: copying an object onto itself with it is allowed
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("source").destinationBucket(bucket).destinationKey("source")
                .websiteRedirectLocation("/new-target"));
        assertEquals("/new-target", redirectOf("source"));
        assertS3Error(400, "InvalidRedirectLocation", () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("source")
                .destinationBucket(bucket).destinationKey("bad").websiteRedirectLocation("nowhere")));
    }

    @Test
    void multipartUploadKeepsTheLocation() {
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("big").websiteRedirectLocation("/small")).uploadId();
        String etag = s3.uploadPart(b -> b.bucket(bucket).key("big").uploadId(id).partNumber(1), RequestBody.fromString("part")).eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("big").uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        assertEquals("/small", redirectOf("big"));
    }
}
