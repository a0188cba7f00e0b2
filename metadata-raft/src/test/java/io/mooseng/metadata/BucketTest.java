package io.mooseng.metadata;

import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.StorageClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.mooseng.core.error.ErrorCode.BUCKET_ALREADY_EXISTS;
import static io.mooseng.core.error.ErrorCode.BUCKET_NOT_EMPTY;
import static io.mooseng.core.error.ErrorCode.INVALID_BUCKET_NAME;
import static io.mooseng.core.error.ErrorCode.NO_SUCH_BUCKET;
import static io.mooseng.metadata.Fixtures.assertFails;
import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static io.mooseng.metadata.Fixtures.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class BucketTest extends SingleMasterTest {
    @Test
    void createGetListDelete() {
        BucketInfo b = join(meta.createBucket("b-one", StorageClass.EC_4_2, 1234));
        assertEquals(new BucketInfo("b-one", b.inode(), 1234, StorageClass.EC_4_2), b);
        BucketInfo c = join(meta.createBucket("b-two", StorageClass.replicated(3), 99));
        assertNotEquals(b.inode(), c.inode());
        assertEquals(b, join(meta.getBucket("b-one")));
        List<BucketInfo> all = join(meta.listBuckets());
        assertTrue(all.indexOf(b) >= 0 && all.indexOf(b) < all.indexOf(c), "name order: " + all);

        join(meta.deleteBucket("b-one"));
        assertFails(NO_SUCH_BUCKET, meta.getBucket("b-one"));
        assertTrue(join(meta.listBuckets()).stream().noneMatch(x -> x.name().equals("b-one")));
        // the name is free again
        join(meta.createBucket("b-one", StorageClass.EC_4_2, 5));
    }

    @Test
    void errors() {
        join(meta.createBucket("dup", StorageClass.EC_4_2, 1));
        assertFails(BUCKET_ALREADY_EXISTS, meta.createBucket("dup", StorageClass.EC_4_2, 2));
        assertFails(NO_SUCH_BUCKET, meta.getBucket("nope"));
        assertFails(NO_SUCH_BUCKET, meta.deleteBucket("nope"));
        assertFails(NO_SUCH_BUCKET, meta.putObject("nope", key("a"), manifest(1, "e", 1)));
        assertFails(INVALID_BUCKET_NAME, meta.createBucket("a/b", StorageClass.EC_4_2, 1));
        assertFails(INVALID_BUCKET_NAME, meta.createBucket("", StorageClass.EC_4_2, 1));
    }

    @Test
    void notEmpty() {
        join(meta.createBucket("full", StorageClass.EC_4_2, 1));
        join(meta.putObject("full", key("dir/file"), manifest(3, "e1", 1)));
        assertFails(BUCKET_NOT_EMPTY, meta.deleteBucket("full"));
        join(meta.deleteObject("full", key("dir/file")));

        join(meta.putObject("full", key("marker/"), manifest(0, "e0", 1)));
        assertFails(BUCKET_NOT_EMPTY, meta.deleteBucket("full"));
        join(meta.deleteObject("full", key("marker/")));

        String upload = join(meta.createMultipartUpload("full", key("big"), io.mooseng.core.model.ObjectProperties.EMPTY,
                StorageClass.EC_4_2, 1)).uploadId();
        assertFails(BUCKET_NOT_EMPTY, meta.deleteBucket("full"));
        join(meta.abortMultipartUpload("full", key("big"), upload));

        join(meta.deleteBucket("full"));
    }
}
