package io.mooseng.metadata;

import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.NotificationRule;
import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.CorsRule;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.SyncRule;
import io.mooseng.core.model.WriteCondition;
import io.mooseng.metadata.codec.BinaryReader;
import io.mooseng.metadata.codec.BinaryWriter;
import io.mooseng.metadata.codec.Codec;
import io.mooseng.metadata.codec.ModelCodec;
import io.mooseng.metadata.command.CommandCodec;
import io.mooseng.metadata.command.MetadataCommand;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.mooseng.metadata.Fixtures.manifest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tag sets in properties and bucket policies, CORS rules, sync rules and S3 bucket policy documents in bucket policies, and write conditions in commands: new fields are flagged, older values read as they were. */
class TagsAndConditionsCodecTest {
    private static <T> byte[] encode(Codec<T> codec, T value) {
        BinaryWriter w = new BinaryWriter();
        codec.write(w, value);
        return w.toByteArray();
    }

    private static <T> T decode(Codec<T> codec, byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        T value = codec.read(r);
        r.expectEnd();
        return value;
    }

    @Test
    void propertiesCarryTagsOnlyWhenThereAreSome() {
        ObjectProperties plain = new ObjectProperties("text/plain", Map.of("cache-control", "no-cache"), Map.of("a", "b"));
        ObjectProperties tagged = plain.withTags(Map.of("project", "moose", "empty", ""));
        for (ObjectProperties p : List.of(plain, tagged, ObjectProperties.EMPTY, ObjectProperties.EMPTY.withTags(Map.of("k", "v")))) {
            assertEquals(p, decode(ModelCodec.PROPERTIES, encode(ModelCodec.PROPERTIES, p)));
        }
        // values written before tags existed: a presence bool, then the content type and two maps
        byte[] older = new BinaryWriter().bool(true).string("text/plain").varLong(1).string("cache-control").string("no-cache")
                .varLong(1).string("a").string("b").toByteArray();
        assertArrayEquals(older, encode(ModelCodec.PROPERTIES, plain), "a value without tags is written as before");
        assertEquals(plain, decode(ModelCodec.PROPERTIES, older));
    }

    @Test
    void bucketPoliciesCarryTagsAndCorsRulesOnlyWhenThereAreSome() {
        BucketPolicy cold = BucketPolicy.of(StorageClass.replicated(2)).withColdConversion(1000, StorageClass.EC_4_2);
        CorsRule rule = new CorsRule("web", List.of("https://*.example.com"), List.of("GET", "PUT"), List.of("*"), List.of("ETag"), 600);
        CorsRule bare = new CorsRule(null, List.of("*"), List.of("GET"), List.of(), List.of(), -1);
        for (BucketPolicy p : List.of(cold, cold.withTags(Map.of("team", "storage")), BucketPolicy.of(StorageClass.EC_4_2).withTags(Map.of("a", "b")),
                cold.withCorsRules(List.of(rule, bare)), cold.withTags(Map.of("a", "b")).withCorsRules(List.of(bare)),
                cold.withSyncRule(SyncRule.OFF), cold.withTags(Map.of("a", "b")).withSyncRule(new SyncRule(true, List.of("z1", "z2"), "z1",
                        List.of("logs/"))),
                cold.withAccessPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[]}"),
                cold.withObjectOwnership("BucketOwnerEnforced").withDefaultEncryption("AES256"),
                cold.withNotifications(List.of(new NotificationRule("images", "hook", List.of("s3:ObjectCreated:*"), "img/", ".jpg"),
                        new NotificationRule("all", "other", List.of("s3:ObjectRemoved:Delete"), "", ""))).withObjectOwnership("ObjectWriter"),
                cold.withCorsRules(List.of(bare)).withSyncRule(SyncRule.OFF).withAccessPolicy("{}"),
                cold.withSyncRule(new SyncRule(true, List.of(), "", List.of("a/"), Map.of("replicate", "yes", "team", "x"))),
                cold.withObjectOwnership("ObjectWriter").withSyncRule(new SyncRule(false, List.of(), "", List.of(), Map.of("k", "")))
                        .withNotifications(List.of(new NotificationRule("all", "other", List.of("s3:ObjectRemoved:Delete"), "", ""))))) {
            assertEquals(p, decode(ModelCodec.BUCKET_POLICY, encode(ModelCodec.BUCKET_POLICY, p)));
        }
        // values written before tags existed: the class, no prefix rules, retention, cold age, a cold-class presence bool
        BinaryWriter older = new BinaryWriter();
        ModelCodec.STORAGE_CLASS.write(older, StorageClass.replicated(2));
        older.varLong(0).zigzag(BucketPolicy.CLUSTER_DEFAULT).varLong(0).bool(false);
        assertEquals(BucketPolicy.of(StorageClass.replicated(2)), decode(ModelCodec.BUCKET_POLICY, older.toByteArray()));
    }

    @Test
    void conditionalWritesHaveTheirOwnTagsAndUnconditionalOnesKeepTheOldOnes() {
        List<CompletedPart> parts = List.of(new CompletedPart(1, "e1"));
        List<MetadataCommand<?>> commands = List.of(
                new MetadataCommand.PutObject("b", "k", manifest(3, "x", 4), WriteCondition.IF_ABSENT),
                new MetadataCommand.PutObject("b", "k", manifest(3, "x", 4), WriteCondition.ifMatch("abc")),
                new MetadataCommand.DeleteObject("b", "k", 5, WriteCondition.ifMatch("abc")),
                new MetadataCommand.CompleteUpload("b", "k", "u", parts, 5, 6, new WriteCondition("abc", true)),
                new MetadataCommand.CompleteUpload("b", "k", "u", parts, 5, 6, WriteCondition.IF_ABSENT));
        for (MetadataCommand<?> c : commands) {
            assertEquals(c, CommandCodec.decode(CommandCodec.encode(c)));
        }
        // logs written before conditions existed hold tags 3, 4 and 7, still written for unconditional writes
        assertEquals(3, CommandCodec.encode(new MetadataCommand.PutObject("b", "k", manifest(3, "x", 4)))[1]);
        assertEquals(4, CommandCodec.encode(new MetadataCommand.DeleteObject("b", "k", 5))[1]);
        assertEquals(7, CommandCodec.encode(new MetadataCommand.CompleteUpload("b", "k", "u", parts, 5, 6))[1]);
        assertEquals(new MetadataCommand.DeleteObject("b", "k", 5, null),
                CommandCodec.decode(new BinaryWriter().u8(1).u8(4).string("b").string("k").zigzag(5).toByteArray()));
    }
}
