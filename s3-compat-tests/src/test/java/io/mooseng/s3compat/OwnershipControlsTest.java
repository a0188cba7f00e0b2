package io.mooseng.s3compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.OwnershipControlsRule;

import java.util.concurrent.TimeUnit;

import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Put/Get/DeleteBucketOwnershipControls, and BucketOwnerEnforced refusing ACLs as S3 does. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OwnershipControlsTest {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    private static S3Client s3;

    @BeforeAll
    static void setUp() {
        s3 = cluster.client();
    }

    private static void setOwnership(String bucket, ObjectOwnership ownership) {
        s3.putBucketOwnershipControls(b -> b.bucket(bucket).ownershipControls(c -> c.rules(OwnershipControlsRule.builder()
                .objectOwnership(ownership).build())));
    }

    private static ObjectOwnership ownership(String bucket) {
        return s3.getBucketOwnershipControls(b -> b.bucket(bucket)).ownershipControls().rules().getFirst().objectOwnership();
    }

    @Test
    void settingIsKeptChangedAndRemoved() {
        String bucket = cluster.newBucket("ownership");
        assertS3Error(404, "OwnershipControlsNotFoundError", () -> s3.getBucketOwnershipControls(b -> b.bucket(bucket)));
        for (ObjectOwnership o : new ObjectOwnership[]{ObjectOwnership.OBJECT_WRITER, ObjectOwnership.BUCKET_OWNER_PREFERRED,
                ObjectOwnership.BUCKET_OWNER_ENFORCED}) {
            setOwnership(bucket, o);
            assertEquals(o, ownership(bucket));
        }
        s3.deleteBucketOwnershipControls(b -> b.bucket(bucket));
        assertS3Error(404, "OwnershipControlsNotFoundError", () -> s3.getBucketOwnershipControls(b -> b.bucket(bucket)));
        assertS3Error(404, "NoSuchBucket", () -> s3.getBucketOwnershipControls(b -> b.bucket("no-such-ownership-bucket")));
    }

    @Test
    void unknownSettingIsRefused() {
        String bucket = cluster.newBucket("ownership-bad");
        assertS3Error(400, "InvalidArgument", () -> setOwnership(bucket, ObjectOwnership.fromValue("Everyone")));
    }

    @Test
    void enforcedOwnershipRefusesAclsThatGrantOthers() {
        String bucket = cluster.newBucket("ownership-enforced");
        setOwnership(bucket, ObjectOwnership.BUCKET_OWNER_ENFORCED);
        s3.putObject(b -> b.bucket(bucket).key("private").acl(ObjectCannedACL.PRIVATE), RequestBody.fromString("a"));
        s3.putObject(b -> b.bucket(bucket).key("owner").acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL), RequestBody.fromString("b"));
        s3.putObject(b -> b.bucket(bucket).key("none"), RequestBody.fromString("c"));
        assertS3Error(400, "AccessControlListNotSupported", () -> s3.putObject(b -> b.bucket(bucket).key("public")
                .acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("d")));
        assertS3Error(400, "AccessControlListNotSupported", () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("none")
                .destinationBucket(bucket).destinationKey("copy").acl(ObjectCannedACL.PUBLIC_READ)));
        assertS3Error(400, "AccessControlListNotSupported", () -> s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")
                .acl(ObjectCannedACL.AUTHENTICATED_READ)));
        assertS3Error(400, "AccessControlListNotSupported", () -> s3.putObjectAcl(b -> b.bucket(bucket).key("none")
                .acl(ObjectCannedACL.PUBLIC_READ)));
        assertS3Error(400, "AccessControlListNotSupported", () -> s3.putBucketAcl(b -> b.bucket(bucket).acl(BucketCannedACL.PUBLIC_READ)));
        s3.putObjectAcl(b -> b.bucket(bucket).key("none").acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL));

        s3.deleteBucketOwnershipControls(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("public").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("d"));
    }

    @Test
    void createBucketTakesTheSettingAsAHeader() {
        s3.createBucket(b -> b.bucket("ownership-at-create").objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED));
        assertEquals(ObjectOwnership.BUCKET_OWNER_ENFORCED, ownership("ownership-at-create"));
        assertS3Error(400, "AccessControlListNotSupported", () -> s3.createBucket(b -> b.bucket("ownership-public")
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED).acl(BucketCannedACL.PUBLIC_READ)));
    }
}
