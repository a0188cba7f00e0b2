package io.mooseng.s3;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mooseng.s3.auth.Credentials;
import io.mooseng.s3.auth.QueryString;
import io.mooseng.s3.auth.SigV4Authenticator;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Locale;

import static io.mooseng.s3.S3Router.Target.BUCKET;
import static io.mooseng.s3.S3Router.Target.OBJECT;
import static io.mooseng.s3.S3Router.Target.SERVICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class S3RouterTest {
    /** Matching never calls storage, so no ObjectService is needed. */
    private final S3Router router = new S3Router(null,
            new SigV4Authenticator(Credentials.single("a", "b"), "us-east-1", Clock.systemUTC()), null,
            S3GatewayConfig.of("127.0.0.1", 0).withVirtualHostDomain("s3.example.com"),
            new S3Metrics(new SimpleMeterRegistry()), null, null);

    private String op(HttpMethod method, S3Router.Target target, String query, String... headers) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return router.match(method, target, QueryString.parse(query), h).operation();
    }

    @Test
    void routesEveryOperation() {
        assertEquals("ListBuckets", op(HttpMethod.GET, SERVICE, null));
        assertEquals("CreateBucket", op(HttpMethod.PUT, BUCKET, null));
        assertEquals("DeleteBucket", op(HttpMethod.DELETE, BUCKET, null));
        assertEquals("HeadBucket", op(HttpMethod.HEAD, BUCKET, null));
        assertEquals("GetBucketLocation", op(HttpMethod.GET, BUCKET, "location"));
        assertEquals("ListObjectsV2", op(HttpMethod.GET, BUCKET, "list-type=2&prefix=a"));
        assertEquals("ListObjects", op(HttpMethod.GET, BUCKET, "marker=x"));
        assertEquals("DeleteObjects", op(HttpMethod.POST, BUCKET, "delete"));
        assertEquals("PostObject", op(HttpMethod.POST, BUCKET, null, "Content-Type", "multipart/form-data; boundary=x"));
        assertEquals("PutBucketOwnershipControls", op(HttpMethod.PUT, BUCKET, "ownershipControls"));
        assertEquals("ListMultipartUploads", op(HttpMethod.GET, BUCKET, "uploads"));
        assertEquals("PutObject", op(HttpMethod.PUT, OBJECT, "x-id=PutObject"));
        assertEquals("CopyObject", op(HttpMethod.PUT, OBJECT, null, "x-amz-copy-source", "/b/k"));
        assertEquals("GetObject", op(HttpMethod.GET, OBJECT, "versionId=null&response-content-type=a"));
        assertEquals("HeadObject", op(HttpMethod.HEAD, OBJECT, null));
        assertEquals("DeleteObject", op(HttpMethod.DELETE, OBJECT, null));
        assertEquals("CreateMultipartUpload", op(HttpMethod.POST, OBJECT, "uploads"));
        assertEquals("UploadPart", op(HttpMethod.PUT, OBJECT, "uploadId=u&partNumber=3"));
        assertEquals("CompleteMultipartUpload", op(HttpMethod.POST, OBJECT, "uploadId=u"));
        assertEquals("AbortMultipartUpload", op(HttpMethod.DELETE, OBJECT, "uploadId=u"));
        assertEquals("ListParts", op(HttpMethod.GET, OBJECT, "uploadId=u&max-parts=2"));
        assertEquals("GetObject", op(HttpMethod.GET, OBJECT, "partNumber=2"));
        assertEquals("HeadObject", op(HttpMethod.HEAD, OBJECT, "partNumber=1"));
        assertEquals("GetObjectAttributes", op(HttpMethod.GET, OBJECT, "attributes"));
        assertEquals("GetBucketAcl", op(HttpMethod.GET, BUCKET, "acl"));
        assertEquals("PutBucketAcl", op(HttpMethod.PUT, BUCKET, "acl"));
        assertEquals("GetObjectAcl", op(HttpMethod.GET, OBJECT, "acl&versionId=null"));
        assertEquals("PutObjectAcl", op(HttpMethod.PUT, OBJECT, "acl"));
        assertEquals("GetClusterStatus", op(HttpMethod.GET, SERVICE, "mooseng-admin=status&lostAfterMs=5"));
        assertEquals("GetBucketAdmin", op(HttpMethod.GET, BUCKET, "mooseng-admin=trash"));
        assertEquals("RestoreFromTrash", op(HttpMethod.POST, BUCKET, "mooseng-admin=restore&inode=7"));
        assertEquals("PutBucketClass", op(HttpMethod.PUT, BUCKET, "mooseng-admin=class&class=EC_4_2"));
        for (String verb : new String[] {"Get", "Put", "Delete"}) {
            HttpMethod method = HttpMethod.valueOf(verb.toUpperCase(Locale.ROOT));
            assertEquals(verb + "ObjectTagging", op(method, OBJECT, "tagging"));
            assertEquals(verb + "BucketTagging", op(method, BUCKET, "tagging"));
            assertEquals(verb + "BucketCors", op(method, BUCKET, "cors"));
            assertEquals(verb + "BucketPolicy", op(method, BUCKET, "policy"));
        }
        assertEquals("GetBucketPolicyStatus", op(HttpMethod.GET, BUCKET, "policyStatus"));
        assertEquals(S3Error.NOT_IMPLEMENTED, assertThrows(S3Exception.class, () -> op(HttpMethod.GET, OBJECT, "cors")).error());
    }

    private Permission permission(HttpMethod method, S3Router.Target target, String query, String... headers) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return router.match(method, target, QueryString.parse(query), h).permission();
    }

    @Test
    void routesNeedAwsIamActions() {
        assertEquals(Permission.of("s3:ListAllMyBuckets"), permission(HttpMethod.GET, SERVICE, null));
        assertEquals(Permission.of("s3:GetObject"), permission(HttpMethod.HEAD, OBJECT, "partNumber=1"));
        assertEquals(Permission.of("s3:PutObject"), permission(HttpMethod.PUT, OBJECT, null, "x-amz-copy-source", "/b/k"));
        assertEquals(Permission.of("s3:PutObject"), permission(HttpMethod.POST, OBJECT, "uploadId=u"));
        assertEquals(Permission.of("s3:ListBucket"), permission(HttpMethod.HEAD, BUCKET, null));
        assertEquals(Permission.of("s3:ListBucket"), permission(HttpMethod.GET, BUCKET, "list-type=2"));
        assertEquals(Permission.of("s3:PutBucketCORS"), permission(HttpMethod.DELETE, BUCKET, "cors"));
        assertEquals(Permission.of("s3:PutBucketTagging"), permission(HttpMethod.DELETE, BUCKET, "tagging"));
        assertEquals(Permission.of("s3:GetBucketPolicyStatus"), permission(HttpMethod.GET, BUCKET, "policyStatus"));
        assertEquals(Permission.of("s3:ListMultipartUploadParts"), permission(HttpMethod.GET, OBJECT, "uploadId=u"));
        assertEquals(Permission.eachKey("s3:DeleteObject"), permission(HttpMethod.POST, BUCKET, "delete"));
        assertEquals(Permission.ROOT_ONLY, permission(HttpMethod.GET, SERVICE, "mooseng-sync=heads"));
        assertEquals(Permission.ROOT_ONLY, permission(HttpMethod.PUT, SERVICE, "mooseng-sync"));
        assertEquals(Permission.of("s3:GetObjectVersion"), permission(HttpMethod.GET, OBJECT, "versionId=3"));
        assertEquals(Permission.of("s3:GetObject"), permission(HttpMethod.GET, OBJECT, "versionId=null"));
        assertEquals(Permission.of("s3:DeleteObjectVersion"), permission(HttpMethod.DELETE, OBJECT, "versionId=3"));
        assertEquals(Permission.of("s3:ListBucketVersions"), permission(HttpMethod.GET, BUCKET, "versions"));
        assertEquals(Permission.of("s3:PutBucketVersioning"), permission(HttpMethod.PUT, BUCKET, "versioning"));
        assertEquals(Permission.of("s3:PutBucketObjectLockConfiguration"), permission(HttpMethod.PUT, BUCKET, "object-lock"));
        assertEquals(Permission.of("s3:PutObjectRetention"), permission(HttpMethod.PUT, OBJECT, "retention&versionId=3"));
        assertEquals(Permission.of("s3:GetObjectLegalHold"), permission(HttpMethod.GET, OBJECT, "legal-hold"));
        assertEquals(Permission.of("s3:GetObjectVersionTagging"), permission(HttpMethod.GET, OBJECT, "tagging&versionId=3"));
        assertEquals(Permission.of("s3:PutObjectVersionTagging"), permission(HttpMethod.PUT, OBJECT, "tagging&versionId=3"));
        assertEquals(Permission.of("s3:DeleteObjectVersionTagging"), permission(HttpMethod.DELETE, OBJECT, "tagging&versionId=3"));
        assertEquals(Permission.of("s3:GetObjectTagging"), permission(HttpMethod.GET, OBJECT, "tagging&versionId=null"));
        assertEquals(Permission.of("s3:GetObjectVersionAcl"), permission(HttpMethod.GET, OBJECT, "acl&versionId=3"));
        assertEquals(Permission.of("s3:PutObjectVersionAcl"), permission(HttpMethod.PUT, OBJECT, "acl&versionId=3"));
        assertEquals(Permission.of("s3:GetObjectVersionAttributes"), permission(HttpMethod.GET, OBJECT, "attributes&versionId=3"));
    }

    @Test
    void unsupportedSubresourcesAreNotImplementedAndOtherMethodsNotAllowed() {
        for (String q : new String[] {"torrent", "versioning", "versions", "policy", "policyStatus", "select&versionId=3"}) {
            S3Exception e = assertThrows(S3Exception.class, () -> op(HttpMethod.GET, OBJECT, q), q);
            assertEquals(S3Error.NOT_IMPLEMENTED, e.error(), q);
            assertEquals(501, e.error().status());
        }
        assertEquals(S3Error.NOT_IMPLEMENTED, assertThrows(S3Exception.class, () -> op(HttpMethod.PUT, BUCKET, "replication")).error());
        assertEquals(S3Error.PRECONDITION_FAILED, assertThrows(S3Exception.class, () -> op(HttpMethod.POST, BUCKET, null)).error());
        assertEquals(S3Error.METHOD_NOT_ALLOWED, assertThrows(S3Exception.class, () -> op(HttpMethod.DELETE, SERVICE, null)).error());
        assertEquals(S3Error.METHOD_NOT_ALLOWED, assertThrows(S3Exception.class, () -> op(HttpMethod.PATCH, OBJECT, null)).error());
    }

    @Test
    void pathStyleAddressing() {
        assertEquals(new S3Router.Address(null, null, false), router.address("localhost:9000", "/"));
        assertEquals(new S3Router.Address("b", null, false), router.address("localhost", "/b"));
        assertEquals(new S3Router.Address("b", null, false), router.address("localhost", "/b/"));
        assertEquals(new S3Router.Address("b", "dir/a b+c", false), router.address("localhost", "/b/dir/a%20b+c"));
        assertEquals(new S3Router.Address("b", "a//x/", false), router.address("127.0.0.1:80", "/b/a//x/"));
        assertEquals(S3Error.INVALID_URI, assertThrows(S3Exception.class, () -> router.address("h", "/b/%zz")).error());
    }

    @Test
    void virtualHostAddressing() {
        assertEquals(new S3Router.Address("photos", "2024/a.jpg", true), router.address("photos.s3.example.com:9000", "/2024/a.jpg"));
        assertEquals(new S3Router.Address("my.bucket", null, true), router.address("MY.BUCKET.s3.example.com", "/"));
        assertEquals(new S3Router.Address("b", "k", false), router.address("s3.example.com", "/b/k"), "the bare domain is path style");
    }

    @Test
    void theConsoleOwnsOnlyPathsUnderTheDashWhichNoBucketNameStartsWith() {
        assertTrue(ConsoleHandler.addresses("/-/console/"));
        assertTrue(ConsoleHandler.addresses("/-/console/app.js"));
        assertTrue(ConsoleHandler.addresses("/-/console"));
        assertFalse(ConsoleHandler.addresses("/console/"));
        assertFalse(ConsoleHandler.addresses("/-/consoles"));
        assertFalse(ConsoleHandler.addresses("/bucket/-/console/"));
    }
}
