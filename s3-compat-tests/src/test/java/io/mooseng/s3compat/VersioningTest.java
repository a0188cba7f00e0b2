package io.mooseng.s3compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.GetObjectTaggingResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.MFADelete;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static io.mooseng.s3compat.S3Assertions.assertS3Status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** S3 object versioning: the bucket setting, versions by id, delete markers, suspended (null) versions, ListObjectVersions. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VersioningTest {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    /** A well-formed version id no write made. */
    private static final String UNKNOWN_VERSION = "0000000000000";

    private static S3Client s3;

    @BeforeAll
    static void setUp() {
        s3 = cluster.client();
    }

    private static String versionedBucket(String hint) {
        String bucket = cluster.newBucket(hint);
        setVersioning(bucket, BucketVersioningStatus.ENABLED);
        return bucket;
    }

    private static void setVersioning(String bucket, BucketVersioningStatus status) {
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(c -> c.status(status)));
    }

    private static PutObjectResponse put(String bucket, String key, byte[] data) {
        return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data));
    }

    private static byte[] get(String bucket, String key, String versionId) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(versionId)).asByteArray();
    }

    @Test
    void versioningIsABucketSettingAndMfaDeleteIsRefused() {
        String bucket = cluster.newBucket("setting");
        GetBucketVersioningResponse never = s3.getBucketVersioning(b -> b.bucket(bucket));
        assertNull(never.status());
        assertNull(never.mfaDelete());
        setVersioning(bucket, BucketVersioningStatus.ENABLED);
        assertEquals(BucketVersioningStatus.ENABLED, s3.getBucketVersioning(b -> b.bucket(bucket)).status());
        setVersioning(bucket, BucketVersioningStatus.SUSPENDED);
        assertEquals(BucketVersioningStatus.SUSPENDED, s3.getBucketVersioning(b -> b.bucket(bucket)).status());
        assertS3Error(400, "InvalidRequest", () -> s3.putBucketVersioning(b -> b.bucket(bucket)
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED).mfaDelete(MFADelete.ENABLED))));
        assertS3Error(400, "IllegalVersioningConfigurationException", () -> s3.putBucketVersioning(b -> b.bucket(bucket)
                .versioningConfiguration(c -> c.status("Sometimes"))));
        assertEquals(BucketVersioningStatus.SUSPENDED, s3.getBucketVersioning(b -> b.bucket(bucket)).status());
        assertS3Error(404, "NoSuchBucket", () -> s3.getBucketVersioning(b -> b.bucket("no-such-bucket-v")));
    }

    @Test
    void everyWriteMakesAVersionAndOldVersionsReadBackByteIdentical() {
        String bucket = versionedBucket("writes");
        byte[] v1 = TestData.bytes(1, 3_000);
        byte[] v2 = TestData.bytes(2, 6 * TestData.MiB); // two blocks, erasure-coded
        byte[] v3 = TestData.bytes(3, 200_000);
        String id1 = put(bucket, "doc", v1).versionId();
        String id2 = put(bucket, "doc", v2).versionId();
        String id3 = put(bucket, "doc", v3).versionId();
        assertNotNull(id1);
        assertEquals(3, List.of(id1, id2, id3).stream().distinct().count());
        assertTrue(id3.compareTo(id2) < 0 && id2.compareTo(id1) < 0, "newer ids sort first");
        assertTrue(id1.matches("[A-Za-z0-9]+"), "URL-safe: " + id1);

        assertArrayEquals(v3, get(bucket, "doc", null));
        assertEquals(id3, s3.getObject(b -> b.bucket(bucket).key("doc")).response().versionId());
        assertArrayEquals(v1, get(bucket, "doc", id1));
        assertArrayEquals(v2, get(bucket, "doc", id2));
        assertEquals(id2, s3.headObject(b -> b.bucket(bucket).key("doc").versionId(id2)).versionId());
        assertEquals(v2.length, s3.headObject(b -> b.bucket(bucket).key("doc").versionId(id2)).contentLength());
        byte[] range = s3.getObjectAsBytes(b -> b.bucket(bucket).key("doc").versionId(id2).range("bytes=5000000-5000009")).asByteArray();
        assertArrayEquals(java.util.Arrays.copyOfRange(v2, 5_000_000, 5_000_010), range);

        // a copy and a multipart upload are versions too
        String copied = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("doc").sourceVersionId(id1).destinationBucket(bucket)
                .destinationKey("doc")).versionId();
        assertNotNull(copied);
        assertArrayEquals(v1, get(bucket, "doc", null));
        String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key("doc")).uploadId();
        String etag = s3.uploadPart(b -> b.bucket(bucket).key("doc").uploadId(upload).partNumber(1), RequestBody.fromBytes(v3)).eTag();
        String completed = s3.completeMultipartUpload(b -> b.bucket(bucket).key("doc").uploadId(upload)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build()))).versionId();
        assertNotNull(completed);
        assertEquals(5, versions(bucket, "doc").size());
        assertArrayEquals(v2, get(bucket, "doc", id2));

        assertS3Error(404, "NoSuchVersion", () -> get(bucket, "doc", "0ZZZZZZZZZZZZ"));
        assertS3Error(400, "InvalidArgument", () -> get(bucket, "doc", "not-a-version"));
        assertS3Error(409, "BucketNotEmpty", () -> s3.deleteBucket(b -> b.bucket(bucket)));
    }

    @Test
    void deleteMarkersHideTheKeyUntilRemoved() {
        String bucket = versionedBucket("markers");
        byte[] v1 = TestData.bytes(11, 1_000);
        byte[] v2 = TestData.bytes(12, 100_000);
        String id1 = put(bucket, "k", v1).versionId();
        String id2 = put(bucket, "k", v2).versionId();

        DeleteObjectResponse deleted = s3.deleteObject(b -> b.bucket(bucket).key("k"));
        assertTrue(deleted.deleteMarker());
        String marker = deleted.versionId();
        assertNotNull(marker);
        S3Exception missing = assertS3Error(404, "NoSuchKey", () -> get(bucket, "k", null));
        assertEquals("true", header(missing, "x-amz-delete-marker"));
        assertEquals(marker, header(missing, "x-amz-version-id"));
        S3Exception onMarker = assertS3Error(405, "MethodNotAllowed", () -> get(bucket, "k", marker));
        assertEquals("true", header(onMarker, "x-amz-delete-marker"));
        assertS3Status(405, () -> s3.headObject(b -> b.bucket(bucket).key("k").versionId(marker)));
        assertTrue(s3.listObjectsV2(b -> b.bucket(bucket)).contents().isEmpty(), "a deleted key is not listed");
        assertArrayEquals(v2, get(bucket, "k", id2), "the data outlives the delete");

        // removing the marker brings the object back; removing the current version by id promotes the one before
        DeleteObjectResponse unmarked = s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(marker));
        assertTrue(unmarked.deleteMarker());
        assertEquals(marker, unmarked.versionId());
        assertArrayEquals(v2, get(bucket, "k", null));
        assertEquals(id2, s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(id2)).versionId());
        assertArrayEquals(v1, get(bucket, "k", null));
        assertEquals(id1, s3.headObject(b -> b.bucket(bucket).key("k")).versionId());
        assertS3Error(404, "NoSuchVersion", () -> get(bucket, "k", id2));
        // a version that is not there deletes without complaint, as S3
        s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(id2));
        s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(id1));
        assertS3Error(404, "NoSuchKey", () -> get(bucket, "k", null));
        assertTrue(versions(bucket, "k").isEmpty());
        s3.deleteBucket(b -> b.bucket(bucket));
    }

    @Test
    void suspendedBucketsWriteTheNullVersion() {
        String bucket = versionedBucket("suspended");
        byte[] kept = TestData.bytes(21, 5_000);
        String id = put(bucket, "k", kept).versionId();
        setVersioning(bucket, BucketVersioningStatus.SUSPENDED);
        assertEquals("null", put(bucket, "k", TestData.bytes(22, 5_000)).versionId());
        byte[] latest = TestData.bytes(23, 7_000);
        put(bucket, "k", latest);
        assertArrayEquals(latest, get(bucket, "k", "null"));
        assertEquals(List.of("null", id), versions(bucket, "k").stream().map(ObjectVersion::versionId).toList(),
                "the second null version replaced the first");

        DeleteObjectResponse deleted = s3.deleteObject(b -> b.bucket(bucket).key("k"));
        assertTrue(deleted.deleteMarker());
        assertEquals("null", deleted.versionId());
        ListObjectVersionsResponse all = s3.listObjectVersions(b -> b.bucket(bucket));
        assertEquals(List.of(id), all.versions().stream().map(ObjectVersion::versionId).toList(), "the null version made way");
        assertEquals(List.of("null"), all.deleteMarkers().stream().map(DeleteMarkerEntry::versionId).toList());
        assertTrue(all.deleteMarkers().getFirst().isLatest());
        assertArrayEquals(kept, get(bucket, "k", id));
        // copies and multipart uploads write the null version too, and say so
        assertEquals("null", s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("k").sourceVersionId(id).destinationBucket(bucket)
                .destinationKey("copy")).versionId());
        assertArrayEquals(kept, get(bucket, "copy", null));
        String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key("copy")).uploadId();
        String etag = s3.uploadPart(b -> b.bucket(bucket).key("copy").uploadId(upload).partNumber(1), RequestBody.fromBytes(latest)).eTag();
        assertEquals("null", s3.completeMultipartUpload(b -> b.bucket(bucket).key("copy").uploadId(upload)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build()))).versionId());
        assertEquals(List.of("null"), versions(bucket, "copy").stream().map(ObjectVersion::versionId).toList());
        assertArrayEquals(latest, get(bucket, "copy", "null"));
    }

    @Test
    void unversionedBucketsTakeVersionIdNull() {
        String bucket = cluster.newBucket("plain");
        byte[] data = TestData.bytes(31, 2_000);
        assertNull(put(bucket, "k", data).versionId());
        assertArrayEquals(data, get(bucket, "k", "null"));
        assertS3Error(404, "NoSuchVersion", () -> get(bucket, "k", "0ZZZZZZZZZZZZ"));
        ListObjectVersionsResponse listed = s3.listObjectVersions(b -> b.bucket(bucket));
        assertEquals(List.of("null"), listed.versions().stream().map(ObjectVersion::versionId).toList());
        assertTrue(listed.versions().getFirst().isLatest());
        DeleteObjectResponse deleted = s3.deleteObject(b -> b.bucket(bucket).key("k"));
        assertNull(deleted.deleteMarker());
        assertS3Error(404, "NoSuchKey", () -> get(bucket, "k", null));
    }

    @Test
    void listObjectVersionsPagesInS3Order() {
        String bucket = versionedBucket("listing");
        List<String> expected = new ArrayList<>();
        int n = 0;
        for (String key : List.of("a", "dir/x", "dir/y", "m", "z")) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                ids.addFirst(put(bucket, key, TestData.bytes(n++, 100)).versionId());
            }
            if (key.equals("m")) {
                ids.addFirst(s3.deleteObject(b -> b.bucket(bucket).key(key)).versionId());
            }
            ids.forEach(id -> expected.add(key + "@" + id));
        }
        assertEquals(36, expected.size());
        for (int maxKeys : new int[] {1, 5, 8, 1000}) {
            List<String> seen = new ArrayList<>();
            List<String> latest = new ArrayList<>();
            String keyMarker = null;
            String versionMarker = null;
            int pages = 0;
            while (true) {
                String km = keyMarker;
                String vm = versionMarker;
                ListObjectVersionsResponse page = s3.listObjectVersions(b -> b.bucket(bucket).maxKeys(maxKeys).keyMarker(km).versionIdMarker(vm));
                pages++;
                List<String[]> entries = new ArrayList<>();
                page.versions().forEach(v -> entries.add(new String[] {v.key(), v.versionId(), Boolean.toString(v.isLatest())}));
                page.deleteMarkers().forEach(d -> entries.add(new String[] {d.key(), d.versionId(), Boolean.toString(d.isLatest())}));
                // versions and delete markers come in separate lists: S3's order is keys ascending, each key's newest first
                entries.sort(Comparator.<String[], String>comparing(e -> e[0]).thenComparing(e -> e[1]));
                entries.forEach(e -> seen.add(e[0] + "@" + e[1]));
                entries.stream().filter(e -> e[2].equals("true")).forEach(e -> latest.add(e[0] + "@" + e[1]));
                assertTrue(entries.size() <= maxKeys);
                if (!page.isTruncated()) {
                    break;
                }
                keyMarker = page.nextKeyMarker();
                versionMarker = page.nextVersionIdMarker();
            }
            assertEquals(expected, seen, "max-keys " + maxKeys);
            assertEquals(List.of("a", "dir/x", "dir/y", "m", "z"), latest.stream().map(s -> s.substring(0, s.indexOf('@'))).toList());
            assertEquals((36 + maxKeys - 1) / maxKeys, pages);
        }
        ListObjectVersionsResponse rolled = s3.listObjectVersions(b -> b.bucket(bucket).delimiter("/"));
        assertEquals(List.of("dir/"), rolled.commonPrefixes().stream().map(p -> p.prefix()).toList());
        assertEquals(21, rolled.versions().size());
        assertEquals(1, rolled.deleteMarkers().size());
        ListObjectVersionsResponse inDir = s3.listObjectVersions(b -> b.bucket(bucket).prefix("dir/").maxKeys(3));
        assertTrue(inDir.isTruncated());
        assertEquals("dir/x", inDir.nextKeyMarker());
        assertEquals(inDir.versions().getLast().versionId(), inDir.nextVersionIdMarker());
        assertS3Error(400, "InvalidArgument", () -> s3.listObjectVersions(b -> b.bucket(bucket).versionIdMarker("x")));
    }

    @Test
    void deleteObjectsTakesAVersionPerKey() {
        String bucket = versionedBucket("multi");
        String a1 = put(bucket, "a", TestData.bytes(41, 10)).versionId();
        byte[] a2 = TestData.bytes(42, 10);
        put(bucket, "a", a2);
        put(bucket, "b", TestData.bytes(43, 10));
        DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(
                ObjectIdentifier.builder().key("a").versionId(a1).build(), ObjectIdentifier.builder().key("b").build())));
        assertTrue(response.errors().isEmpty(), response.errors().toString());
        DeletedObject a = response.deleted().stream().filter(o -> o.key().equals("a")).findFirst().orElseThrow();
        DeletedObject b = response.deleted().stream().filter(o -> o.key().equals("b")).findFirst().orElseThrow();
        assertEquals(a1, a.versionId());
        assertNotEquals(Boolean.TRUE, a.deleteMarker());
        assertTrue(b.deleteMarker());
        assertNotNull(b.deleteMarkerVersionId());
        assertArrayEquals(a2, get(bucket, "a", null));
        assertEquals(1, versions(bucket, "a").size());
        assertS3Error(404, "NoSuchKey", () -> get(bucket, "b", null));
        assertFalse(versions(bucket, "b").isEmpty());
    }

    @Test
    void readingAndDeletingByVersionNeedTheVersionActions() {
        String bucket = versionedBucket("grants");
        byte[] data = TestData.bytes(51, 500);
        String id = put(bucket, "k", data).versionId();
        S3Keys keys = cluster.addUser("current-only", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
                + "\"Action\": [\"s3:GetObject\", \"s3:DeleteObject\"], \"Resource\": \"arn:aws:s3:::" + bucket + "/*\"}]}");
        try (S3Client user = S3Clients.sync(cluster.endpoint(), keys)) {
            assertArrayEquals(data, user.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asByteArray());
            assertS3Error(403, "AccessDenied", () -> user.getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId(id)));
            assertS3Error(403, "AccessDenied", () -> user.deleteObject(b -> b.bucket(bucket).key("k").versionId(id)));
            DeleteObjectsResponse refused = user.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(
                    ObjectIdentifier.builder().key("k").versionId(id).build())));
            assertEquals("AccessDenied", refused.errors().getFirst().code());
            assertTrue(user.deleteObject(b -> b.bucket(bucket).key("k")).deleteMarker(), "a delete marker needs s3:DeleteObject only");
        }
        assertArrayEquals(data, get(bucket, "k", id));
    }

    @Test
    void tagsAndAclsOfEachVersionByIdAndDeleteMarkersRefuseThem() {
        String bucket = versionedBucket("tags");
        String id1 = s3.putObject(b -> b.bucket(bucket).key("t").tagging("v=1"), RequestBody.fromString("one")).versionId();
        String id2 = s3.putObject(b -> b.bucket(bucket).key("t").tagging("v=2"), RequestBody.fromString("two")).versionId();
        GetObjectTaggingResponse old = s3.getObjectTagging(b -> b.bucket(bucket).key("t").versionId(id1));
        assertEquals(id1, old.versionId());
        assertEquals(List.of(Tag.builder().key("v").value("1").build()), old.tagSet());
        assertEquals(id2, s3.getObjectTagging(b -> b.bucket(bucket).key("t")).versionId(), "the current version is named too");

        // a noncurrent version's tags change where it is kept; its content, ETag and the current version stay
        String etag = s3.headObject(b -> b.bucket(bucket).key("t").versionId(id1)).eTag();
        assertEquals(id1, s3.putObjectTagging(b -> b.bucket(bucket).key("t").versionId(id1)
                .tagging(t -> t.tagSet(Tag.builder().key("v").value("old").build()))).versionId());
        assertEquals("old", s3.getObjectTagging(b -> b.bucket(bucket).key("t").versionId(id1)).tagSet().getFirst().value());
        assertEquals(etag, s3.headObject(b -> b.bucket(bucket).key("t").versionId(id1)).eTag());
        assertArrayEquals("one".getBytes(), get(bucket, "t", id1));
        assertEquals("2", s3.getObjectTagging(b -> b.bucket(bucket).key("t")).tagSet().getFirst().value());
        assertEquals(id1, s3.deleteObjectTagging(b -> b.bucket(bucket).key("t").versionId(id1)).versionId());
        assertTrue(s3.getObjectTagging(b -> b.bucket(bucket).key("t").versionId(id1)).tagSet().isEmpty());
        assertEquals(1, s3.getObjectTagging(b -> b.bucket(bucket).key("t").versionId(id2)).tagSet().size());

        // GetObjectAttributes by version
        GetObjectAttributesResponse attrs = s3.getObjectAttributes(b -> b.bucket(bucket).key("t").versionId(id1)
                .objectAttributes(ObjectAttributes.OBJECT_SIZE, ObjectAttributes.E_TAG));
        assertEquals(3L, attrs.objectSize());
        assertEquals(id1, attrs.versionId());

        // ACLs by version: the owner's FULL_CONTROL, for a version that exists
        assertEquals(1, s3.getObjectAcl(b -> b.bucket(bucket).key("t").versionId(id1)).grants().size());
        s3.putObjectAcl(b -> b.bucket(bucket).key("t").versionId(id1).acl(ObjectCannedACL.PRIVATE));
        assertS3Error(404, "NoSuchVersion", () -> s3.getObjectTagging(b -> b.bucket(bucket).key("t").versionId(UNKNOWN_VERSION)));
        assertS3Error(404, "NoSuchVersion", () -> s3.getObjectAcl(b -> b.bucket(bucket).key("t").versionId(UNKNOWN_VERSION)));

        String marker = s3.deleteObject(b -> b.bucket(bucket).key("t")).versionId();
        S3Exception e = assertS3Status(405, () -> s3.getObjectTagging(b -> b.bucket(bucket).key("t").versionId(marker)));
        assertEquals("MethodNotAllowed", e.awsErrorDetails().errorCode());
        assertEquals("true", header(e, "x-amz-delete-marker"));
        assertS3Status(405, () -> s3.putObjectTagging(b -> b.bucket(bucket).key("t").versionId(marker)
                .tagging(t -> t.tagSet(Tag.builder().key("a").value("b").build()))));
        assertS3Status(405, () -> s3.deleteObjectTagging(b -> b.bucket(bucket).key("t").versionId(marker)));
        assertS3Status(405, () -> s3.getObjectAcl(b -> b.bucket(bucket).key("t").versionId(marker)));
        assertS3Error(404, "NoSuchKey", () -> s3.getObjectTagging(b -> b.bucket(bucket).key("t")));
        assertEquals("2", s3.getObjectTagging(b -> b.bucket(bucket).key("t").versionId(id2)).tagSet().getFirst().value());
    }

    @Test
    void tagsAndAclsByVersionNeedTheVersionActions() {
        String bucket = versionedBucket("tag-grants");
        String id = s3.putObject(b -> b.bucket(bucket).key("k").tagging("a=b"), RequestBody.fromString("x")).versionId();
        S3Keys keys = cluster.addUser("tags-current-only", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
                + "\"Action\": [\"s3:GetObjectTagging\", \"s3:PutObjectTagging\", \"s3:DeleteObjectTagging\", \"s3:GetObjectAcl\", "
                + "\"s3:PutObjectAcl\"], \"Resource\": \"arn:aws:s3:::" + bucket + "/*\"}]}");
        S3Keys versionKeys = cluster.addUser("tags-by-version", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
                + "\"Action\": [\"s3:GetObjectVersionTagging\", \"s3:PutObjectVersionTagging\", \"s3:DeleteObjectVersionTagging\", "
                + "\"s3:GetObjectVersionAcl\", \"s3:PutObjectVersionAcl\"], \"Resource\": \"arn:aws:s3:::" + bucket + "/*\"}]}");
        Tagging tags = Tagging.builder().tagSet(Tag.builder().key("c").value("d").build()).build();
        try (S3Client user = S3Clients.sync(cluster.endpoint(), keys); S3Client byVersion = S3Clients.sync(cluster.endpoint(), versionKeys)) {
            assertEquals(1, user.getObjectTagging(b -> b.bucket(bucket).key("k")).tagSet().size());
            assertS3Error(403, "AccessDenied", () -> user.getObjectTagging(b -> b.bucket(bucket).key("k").versionId(id)));
            assertS3Error(403, "AccessDenied", () -> user.putObjectTagging(b -> b.bucket(bucket).key("k").versionId(id).tagging(tags)));
            assertS3Error(403, "AccessDenied", () -> user.deleteObjectTagging(b -> b.bucket(bucket).key("k").versionId(id)));
            assertS3Error(403, "AccessDenied", () -> user.getObjectAcl(b -> b.bucket(bucket).key("k").versionId(id)));
            assertS3Error(403, "AccessDenied", () -> user.putObjectAcl(b -> b.bucket(bucket).key("k").versionId(id).acl(ObjectCannedACL.PRIVATE)));

            assertS3Error(403, "AccessDenied", () -> byVersion.getObjectTagging(b -> b.bucket(bucket).key("k")));
            byVersion.putObjectTagging(b -> b.bucket(bucket).key("k").versionId(id).tagging(tags));
            assertEquals("d", byVersion.getObjectTagging(b -> b.bucket(bucket).key("k").versionId(id)).tagSet().getFirst().value());
            byVersion.deleteObjectTagging(b -> b.bucket(bucket).key("k").versionId(id));
            byVersion.getObjectAcl(b -> b.bucket(bucket).key("k").versionId(id));
            byVersion.putObjectAcl(b -> b.bucket(bucket).key("k").versionId(id).acl(ObjectCannedACL.PRIVATE));
        }
    }

    private static List<ObjectVersion> versions(String bucket, String key) {
        return s3.listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions().stream().filter(v -> v.key().equals(key)).toList();
    }

    private static String header(S3Exception e, String name) {
        return e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader(name).orElse(null);
    }
}
