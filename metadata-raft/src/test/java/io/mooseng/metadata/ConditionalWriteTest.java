package io.mooseng.metadata;

import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.MultipartUpload;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.WriteCondition;
import io.mooseng.metadata.client.RaftMetadataService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.mooseng.core.error.ErrorCode.CONCURRENT_CHANGE;
import static io.mooseng.core.error.ErrorCode.NO_SUCH_KEY;
import static io.mooseng.metadata.Fixtures.assertFails;
import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static io.mooseng.metadata.Fixtures.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Write conditions are checked where the write applies: of racing creates exactly one succeeds. */
@Timeout(60)
class ConditionalWriteTest {
    @TempDir
    static Path dir;
    static TestCluster cluster;
    static RaftMetadataService meta;

    @BeforeAll
    @Timeout(60)
    static void start() throws Exception {
        cluster = TestCluster.start(dir, 1);
        meta = cluster.client();
        join(meta.createBucket("cond", StorageClass.EC_4_2, 1));
    }

    @AfterAll
    @Timeout(60)
    static void stop() throws Exception {
        cluster.close();
    }

    @Test
    void ofRacingCreatesOneWins() {
        List<CompletableFuture<?>> creates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            creates.add(meta.putObject("cond", key("race"), manifest(1, "v" + i, 100 + i), WriteCondition.IF_ABSENT));
        }
        int won = 0;
        for (CompletableFuture<?> f : creates) {
            if (f.handle((v, e) -> e == null).join()) {
                won++;
            } else {
                assertFails(CONCURRENT_CHANGE, f);
            }
        }
        assertEquals(1, won);
    }

    @Test
    void ifMatchNeedsTheObjectWithThatETag() {
        assertFails(NO_SUCH_KEY, meta.putObject("cond", key("m"), manifest(1, "a", 201), WriteCondition.ifMatch("*")));
        ObjectInfo first = join(meta.putObject("cond", key("m"), manifest(1, "a", 201))).object();
        assertFails(CONCURRENT_CHANGE, meta.putObject("cond", key("m"), manifest(1, "b", 202), WriteCondition.ifMatch("other")));
        ObjectInfo second = join(meta.putObject("cond", key("m"), manifest(1, "b", 202), WriteCondition.ifMatch(first.etag()))).object();
        assertFails(CONCURRENT_CHANGE, meta.deleteObject("cond", key("m"), WriteCondition.ifMatch(first.etag())));
        join(meta.deleteObject("cond", key("m"), WriteCondition.ifMatch(second.etag())));
        assertFails(NO_SUCH_KEY, meta.deleteObject("cond", key("m"), WriteCondition.ifMatch(second.etag())));
    }

    @Test
    void aCompleteIfAbsentFailsOverAnObjectAndKeepsTheUpload() {
        MultipartUpload upload = join(meta.createMultipartUpload("cond", key("mp"), ObjectProperties.EMPTY, StorageClass.EC_4_2, 1));
        PartInfo part = new PartInfo(1, 3, "p1", 301, manifest(3, "p1", 301));
        join(meta.putPart("cond", key("mp"), upload.uploadId(), part));
        join(meta.putObject("cond", key("mp"), manifest(1, "there", 302)));
        List<CompletedPart> parts = List.of(new CompletedPart(1, part.etag()));
        assertFails(CONCURRENT_CHANGE, meta.completeMultipartUpload("cond", key("mp"), upload.uploadId(), parts, 0, 2, WriteCondition.IF_ABSENT));
        join(meta.deleteObject("cond", key("mp")));
        assertEquals(3, join(meta.completeMultipartUpload("cond", key("mp"), upload.uploadId(), parts, 0, 2, WriteCondition.IF_ABSENT))
                .object().size());
    }
}
