package io.mooseng.s3compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Object tagging (on PUT, copy and multipart uploads, and by its own operations) and bucket tagging, with S3's limits. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaggingTest {
    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    private static S3Client s3;
    private static String bucket;

    @BeforeAll
    static void setUp() {
        s3 = cluster.client();
        bucket = cluster.newBucket("tags");
    }

    private static Map<String, String> objectTags(String key) {
        return asMap(s3.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet());
    }

    private static Map<String, String> asMap(List<Tag> tags) {
        return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> a, TreeMap::new));
    }

    private static List<Tag> tags(int n, String prefix) {
        List<Tag> tags = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tags.add(Tag.builder().key(prefix + i).value("v" + i).build());
        }
        return tags;
    }

    private static void put(String key, String tagging) {
        s3.putObject(b -> b.bucket(bucket).key(key).tagging(tagging), RequestBody.fromString("content of " + key));
    }

    @Test
    void tagsGivenOnPutAreAnsweredAndCounted() {
        put("put", "project=moose&team=storage%20core&empty=");
        assertEquals(Map.of("project", "moose", "team", "storage core", "empty", ""), objectTags("put"));
        GetObjectResponse got = s3.getObject(b -> b.bucket(bucket).key("put")).response();
        assertEquals(3, got.tagCount());
        put("untagged", null);
        assertNull(s3.getObject(b -> b.bucket(bucket).key("untagged")).response().tagCount());
        assertEquals(Map.of(), objectTags("untagged"));
    }

    @Test
    void putAndDeleteTaggingKeepTheContentAndItsVersion() {
        put("edit", "a=1");
        HeadObjectResponse before = s3.headObject(b -> b.bucket(bucket).key("edit"));
        s3.putObjectTagging(b -> b.bucket(bucket).key("edit").tagging(t -> t.tagSet(tags(10, "k"))));
        assertEquals(10, objectTags("edit").size());
        HeadObjectResponse after = s3.headObject(b -> b.bucket(bucket).key("edit"));
        assertEquals(before.eTag(), after.eTag());
        assertEquals(before.lastModified(), after.lastModified());
        assertEquals("content of edit", s3.getObjectAsBytes(b -> b.bucket(bucket).key("edit")).asUtf8String());

        s3.deleteObjectTagging(b -> b.bucket(bucket).key("edit"));
        assertEquals(Map.of(), objectTags("edit"));
        assertEquals(before.eTag(), s3.headObject(b -> b.bucket(bucket).key("edit")).eTag());
    }

    @Test
    void anOverwriteOverS3DropsTheTags() {
        put("over", "a=1");
        put("over", null);
        assertEquals(Map.of(), objectTags("over"));
    }

    @Test
    void copiesKeepTheSourcesTagsUnlessReplaced() {
        s3.putObject(b -> b.bucket(bucket).key("src").tagging("a=1").metadata(Map.of("m", "x")), RequestBody.fromString("src"));
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("src").destinationBucket(bucket).destinationKey("copied"));
        assertEquals(Map.of("a", "1"), objectTags("copied"));

        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("src").destinationBucket(bucket).destinationKey("retagged")
                .taggingDirective(TaggingDirective.REPLACE).tagging("b=2"));
        assertEquals(Map.of("b", "2"), objectTags("retagged"));
        assertEquals("x", s3.headObject(b -> b.bucket(bucket).key("retagged")).metadata().get("m"));

        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("src").destinationBucket(bucket).destinationKey("newmeta")
                .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("m", "y")));
        assertEquals(Map.of("a", "1"), objectTags("newmeta"));
        assertEquals("y", s3.headObject(b -> b.bucket(bucket).key("newmeta")).metadata().get("m"));

        // a copy onto itself that only replaces the tags is allowed
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("src").destinationBucket(bucket).destinationKey("src")
                .taggingDirective(TaggingDirective.REPLACE).tagging("c=3"));
        assertEquals(Map.of("c", "3"), objectTags("src"));
    }

    @Test
    void tagsGivenAtCreateMultipartUploadApplyAtComplete() {
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp").tagging("stage=raw")).uploadId();
        String etag = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(id).partNumber(1), RequestBody.fromString("part")).eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        assertEquals(Map.of("stage", "raw"), objectTags("mp"));
    }

    @Test
    void tagsBreakingSRulesAreInvalidTag() {
        assertS3Error(400, "InvalidTag", () -> put("bad", tags(11, "k").stream().map(t -> t.key() + "=" + t.value())
                .collect(Collectors.joining("&"))));
        assertS3Error(400, "InvalidTag", () -> put("bad", "aws:created=me"));
        assertS3Error(400, "InvalidTag", () -> put("bad", "k".repeat(129) + "=v"));
        assertS3Error(400, "InvalidTag", () -> put("bad", "k=" + "v".repeat(257)));
        put("good", "k=" + "é".repeat(256));
        assertS3Error(400, "InvalidTag", () -> s3.putObjectTagging(b -> b.bucket(bucket).key("good").tagging(t -> t.tagSet(
                Tag.builder().key("dup").value("1").build(), Tag.builder().key("dup").value("2").build()))));
        assertS3Error(400, "InvalidTag", () -> s3.putObjectTagging(b -> b.bucket(bucket).key("good").tagging(t -> t.tagSet(tags(11, "k")))));
        assertS3Error(404, "NoSuchKey", () -> s3.getObjectTagging(b -> b.bucket(bucket).key("missing")));
        assertS3Error(404, "NoSuchKey", () -> s3.putObjectTagging(b -> b.bucket(bucket).key("missing").tagging(t -> t.tagSet(tags(1, "k")))));
    }

    @Test
    void malformedTaggingDocumentsAreMalformedXml() throws Exception {
        put("xml", null);
        SignedHttp http = new SignedHttp(cluster);
        for (String body : List.of("<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>", "<Tagging><TagSet>", "not xml")) {
            SignedHttp.Response res = http.send("PUT", "/" + bucket + "/xml?tagging", Map.of(), body.getBytes(StandardCharsets.UTF_8));
            assertEquals(400, res.status(), res::toString);
            assertEquals("MalformedXML", res.errorCode(), body);
        }
    }

    @Test
    void bucketTagsAllowFiftyAndAnswerNoSuchTagSetWhenThereAreNone() {
        String tagged = cluster.newBucket("tagged");
        assertS3Error(404, "NoSuchTagSet", () -> s3.getBucketTagging(b -> b.bucket(tagged)));
        s3.putBucketTagging(b -> b.bucket(tagged).tagging(t -> t.tagSet(tags(50, "k"))));
        assertEquals(asMap(tags(50, "k")), asMap(s3.getBucketTagging(b -> b.bucket(tagged)).tagSet()));
        assertS3Error(400, "InvalidTag", () -> s3.putBucketTagging(b -> b.bucket(tagged).tagging(t -> t.tagSet(tags(51, "k")))));
        assertS3Error(400, "InvalidTag", () -> s3.putBucketTagging(b -> b.bucket(tagged).tagging(t -> t.tagSet(
                Tag.builder().key("aws:x").value("1").build()))));
        s3.deleteBucketTagging(b -> b.bucket(tagged));
        assertS3Error(404, "NoSuchTagSet", () -> s3.getBucketTagging(b -> b.bucket(tagged)));
        assertS3Error(404, "NoSuchBucket", () -> s3.getBucketTagging(b -> b.bucket("no-such-bucket-here")));
    }
}
