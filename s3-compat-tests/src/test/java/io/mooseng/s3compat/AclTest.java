package io.mooseng.s3compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Grantee;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.Type;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.mooseng.s3compat.S3Assertions.assertObjectAbsent;
import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ACLs as MooseNG keeps them: one owner with FULL_CONTROL on everything. Canned ACLs are
 * taken (not enforced: nothing is public), other grants are 501 NotImplemented.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AclTest {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    private static S3Client s3;
    private static String bucket;
    private static String owner;

    @BeforeAll
    static void setUp() {
        s3 = cluster.client();
        bucket = cluster.newBucket("acl");
        owner = cluster.keys().accessKey();
        s3.putObject(b -> b.bucket(bucket).key("object"), RequestBody.fromString("x"));
    }

    private static Grant ownerFullControl() {
        return Grant.builder().grantee(Grantee.builder().type(Type.CANONICAL_USER).id(owner).build())
                .permission(Permission.FULL_CONTROL).build();
    }

    @Test
    void bucketsAndObjectsAnswerTheOwnersFullControl() {
        GetBucketAclResponse bucketAcl = s3.getBucketAcl(b -> b.bucket(bucket));
        GetObjectAclResponse objectAcl = s3.getObjectAcl(b -> b.bucket(bucket).key("object"));

        assertEquals(List.of(owner, owner), List.of(bucketAcl.owner().id(), objectAcl.owner().id()));
        List<String> ownerOnly = List.of("CanonicalUser " + owner + " FULL_CONTROL");
        assertEquals(ownerOnly, bucketAcl.grants().stream().map(AclTest::describe).toList());
        assertEquals(ownerOnly, objectAcl.grants().stream().map(AclTest::describe).toList());
        assertS3Error(404, "NoSuchKey", () -> s3.getObjectAcl(b -> b.bucket(bucket).key("missing")));
        assertS3Error(404, "NoSuchBucket", () -> s3.getBucketAcl(b -> b.bucket("no-such-acl-bucket")));
    }

    private static String describe(Grant g) {
        return g.grantee().typeAsString() + " " + g.grantee().id() + " " + g.permissionAsString();
    }

    @Test
    void cannedAclsAreTakenOnWritesAndPutAcl() throws Exception {
        String created = "acl-created";
        s3.createBucket(b -> b.bucket(created).acl(BucketCannedACL.PRIVATE));
        s3.putObject(b -> b.bucket(created).key("public").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("p"));
        s3.copyObject(b -> b.sourceBucket(created).sourceKey("public").destinationBucket(created).destinationKey("copy")
                .acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL));
        s3.createMultipartUpload(b -> b.bucket(created).key("mpu").acl(ObjectCannedACL.PRIVATE));
        s3.putBucketAcl(b -> b.bucket(created).acl(BucketCannedACL.PRIVATE));
        s3.putObjectAcl(b -> b.bucket(created).key("copy").acl(ObjectCannedACL.PRIVATE));
        s3.putObjectAcl(b -> b.bucket(created).key("copy").accessControlPolicy(p -> p
                .owner(o -> o.id(owner)).grants(ownerFullControl())));

        assertEquals("p", s3.getObjectAsBytes(b -> b.bucket(created).key("copy")).asUtf8String());
        SignedHttp.Response anonymous = new SignedHttp(cluster).sendUnsigned("GET", URI.create(cluster.endpoint() + "/" + created + "/public"),
                new byte[0]);
        assertEquals(403, anonymous.status(), "public-read is accepted but not enforced: " + anonymous);
    }

    @Test
    void grantsBeyondTheOwnersAre501AndUnknownCannedAcls400() throws Exception {
        Grant allUsersRead = Grant.builder().grantee(Grantee.builder().type(Type.GROUP)
                .uri("http://acs.amazonaws.com/groups/global/AllUsers").build()).permission(Permission.READ).build();

        assertS3Error(501, "NotImplemented", () -> s3.putObjectAcl(b -> b.bucket(bucket).key("object")
                .accessControlPolicy(p -> p.owner(o -> o.id(owner)).grants(ownerFullControl(), allUsersRead))));
        assertS3Error(501, "NotImplemented", () -> s3.putBucketAcl(b -> b.bucket(bucket).grantRead("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"")));
        assertS3Error(501, "NotImplemented", () -> s3.putObject(b -> b.bucket(bucket).key("granted").grantRead("id=\"someone\""),
                RequestBody.fromString("g")));
        assertS3Error(404, "NoSuchKey", () -> s3.putObjectAcl(b -> b.bucket(bucket).key("missing").acl(ObjectCannedACL.PRIVATE)));
        SignedHttp.Response bogus = new SignedHttp(cluster).send("PUT", "/" + bucket + "/bogus", Map.of("x-amz-acl", "everyone"), new byte[] {1});

        assertEquals("400 InvalidArgument", bogus.status() + " " + bogus.errorCode(), bogus::toString);
        assertObjectAbsent(s3, bucket, "granted");
        assertObjectAbsent(s3, bucket, "bogus");
    }
}
