package io.mooseng.s3compat.fuse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.Tag;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An object's tags live with its metadata, so the mount keeps them: a rename moves them with
 * the file, and a rewrite in place keeps them as it keeps the file's other attributes (only an
 * overwrite over S3, which makes a new object, drops them).
 */
class MountTagsTest {
    @RegisterExtension
    static final MountedCluster cluster = new MountedCluster();

    private static List<Tag> tags(String bucket, String key) {
        return cluster.s3().getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet();
    }

    @Test
    void renameAndRewriteInTheMountKeepTheTags() throws Exception {
        Path bucket = cluster.newBucket("mount-tags");
        cluster.s3().putObject(b -> b.bucket("mount-tags").key("a.txt").tagging("owner=moose"), RequestBody.fromString("first"));
        List<Tag> expected = List.of(Tag.builder().key("owner").value("moose").build());

        Files.move(bucket.resolve("a.txt"), bucket.resolve("b.txt"));
        assertEquals(expected, tags("mount-tags", "b.txt"));

        Files.writeString(bucket.resolve("b.txt"), "rewritten in the mount");
        assertEquals("rewritten in the mount", cluster.s3().getObjectAsBytes(b -> b.bucket("mount-tags").key("b.txt")).asUtf8String());
        assertEquals(expected, tags("mount-tags", "b.txt"));
        assertEquals(1, cluster.s3().getObject(b -> b.bucket("mount-tags").key("b.txt")).response().tagCount());
    }
}
