package io.mooseng.s3compat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A gateway started with {@code --region eu-west-1}: clients must sign for it, and the refusal names it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegionTest {
    private static final Region REGION = Region.EU_WEST_1;

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension(REGION.id());

    @TempDir
    static Path tmp;

    @Test
    void clientsSigningForTheConfiguredRegionAreServed() {
        try (S3Client s3 = S3Clients.sync(cluster.endpoint(), cluster.keys(), REGION)) {
            s3.createBucket(b -> b.bucket("in-region"));
            s3.putObject(b -> b.bucket("in-region").key("k"), RequestBody.fromString("v"));

            assertEquals("eu-west-1", s3.getBucketLocation(b -> b.bucket("in-region")).locationConstraintAsString());
            assertEquals("v", s3.getObjectAsBytes(b -> b.bucket("in-region").key("k")).asUtf8String());
        }
    }

    @Test
    void anotherRegionIs400AuthorizationHeaderMalformedNamingTheConfiguredOne() throws Exception {
        SignedHttp.Response raw = new SignedHttp(cluster).send("GET", "/", Map.of(), new byte[0]);

        assertS3Error(400, "AuthorizationHeaderMalformed", () -> cluster.client().listBuckets());
        assertEquals("400 AuthorizationHeaderMalformed", raw.status() + " " + raw.errorCode(), raw::toString);
        assertTrue(raw.text().contains("<Region>eu-west-1</Region>"), raw::toString);
    }

    /** s3cmd signs for US, reads the region from the refusal and signs again for it. */
    @Test
    void s3cmdWithItsDefaultRegionFollowsTheRefusalToTheConfiguredRegion() throws Exception {
        S3cmd s3cmd = S3cmd.configured(cluster, tmp, "s3cfg");

        s3cmd.ok("mb", "s3://s3cmd-region");
        String listed = s3cmd.ok("ls");

        assertTrue(listed.contains("s3://s3cmd-region"), listed);
    }
}
