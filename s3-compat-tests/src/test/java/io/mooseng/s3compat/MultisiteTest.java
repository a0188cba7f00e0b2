package io.mooseng.s3compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mooseng.cli.EmbeddedCluster;
import io.mooseng.core.config.HostPort;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.SyncLogPage;
import io.mooseng.core.model.SyncRule;
import io.mooseng.core.model.SyncState;
import io.mooseng.core.model.ZoneStamp;
import io.mooseng.core.model.Zonegroup;
import io.mooseng.multisite.PeerStatus;
import io.mooseng.multisite.SyncLag;
import io.mooseng.multisite.SyncSettings;
import io.mooseng.cli.node.MemoryPlan;
import io.mooseng.cli.node.MountNode;
import io.mooseng.fuse.MountStats;
import io.mooseng.core.object.ObjectServiceConfig;
import io.mooseng.fuse.MountConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three zones in one JVM (each a whole {@code mooseng server} cluster on loopback), made a
 * zonegroup through zone 1 only: the configuration spreads through the zones' sync agents,
 * and every change made in any zone reaches the others through their S3 gateways. Zone 3's
 * clock runs 5 minutes ahead.
 */
class MultisiteTest {
    private static final int ZONES = 3;
    private static final Duration CONVERGE = Duration.ofSeconds(30);
    private static final long ZONE3_AHEAD_MILLIS = 5 * 60_000;
    /** Short, so the anti-entropy test sees a comparison within seconds. */
    private static final long ANTI_ENTROPY_MILLIS = 3_000;
    private static final S3Keys KEYS = S3Keys.random();
    private static final List<Path> dirs = new ArrayList<>();
    private static final List<EmbeddedCluster> zones = new ArrayList<>();
    private static final List<S3Client> clients = new ArrayList<>();
    private static final List<MountNode> mounts = new ArrayList<>();
    /** A user and key zone 3 held before it joined. */
    private static S3Keys userOfZone3;

    @BeforeAll
    static void startZones() throws Exception {
        for (int i = 0; i < ZONES; i++) {
            Path dir = Files.createTempDirectory("mooseng-zone" + (i + 1) + "-");
            dirs.add(dir);
            long ahead = i == 2 ? ZONE3_AHEAD_MILLIS : 0;
            zones.add(EmbeddedCluster.start(new EmbeddedCluster.Options(List.of(dir), new HostPort("127.0.0.1", 0),
                    new HostPort("127.0.0.1", 0), 2, StorageClass.replicated(2), KEYS.accessKey(), KEYS.secretKey(), null)
                    .withClock(() -> System.currentTimeMillis() + ahead)
                    .withSyncSettings(SyncSettings.DEFAULTS.withAntiEntropyMillis(ANTI_ENTROPY_MILLIS))));
            clients.add(S3Clients.sync(URI.create(zones.get(i).endpoint()), KEYS));
        }
        // data zone 3 held before it joined: the group's full sync merges it
        clients.get(2).createBucket(b -> b.bucket("before"));
        clients.get(2).putObject(b -> b.bucket("before").key("from-zone3"), RequestBody.fromString("old data of zone 3"));
        userOfZone3 = AdminCli.addUser(masters(2), "before-user", "readonly");
        List<Zonegroup.Zone> members = new ArrayList<>();
        for (int i = 0; i < ZONES; i++) {
            members.add(new Zonegroup.Zone(zone(i), List.of(zones.get(i).endpoint())));
        }
        Zonegroup group = new Zonegroup("test", 1, members, KEYS.accessKey());
        zones.get(0).objects().sync().configureZone(zone(0), group).get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopZones() throws Exception {
        for (MountNode m : mounts) {
            m.close();
        }
        clients.forEach(S3Client::close);
        zones.forEach(EmbeddedCluster::close);
        for (Path dir : dirs) {
            TempDirs.delete(dir);
        }
    }

    private static String zone(int i) {
        return "zone" + (i + 1);
    }

    @Test
    void theZonegroupConfiguredInOneZoneReachesTheOthers() throws Exception {
        for (int i = 1; i < ZONES; i++) {
            int z = i;
            await("zone " + zone(z) + " knows the group", () -> state(z).zoned());
            SyncState s = state(z);
            assertEquals(zone(z), s.localZone());
            assertEquals(1, s.zonegroup().epoch());
            assertEquals(ZONES, s.zonegroup().zones().size());
        }
    }

    @Test
    void aZoneReachedInClearOverANetworkOrASyncKeyTheZoneLacksIsRefused() throws Exception {
        String masters = masters(2);
        AdminCli.Outcome plain = AdminCli.execute(masters, "zonegroup", "add-zone", "far=http://192.0.2.7:9000");
        assertNotEquals(0, plain.status(), "http:// to another machine needs --allow-plain-http: " + plain.printed());
        AdminCli.Outcome unknownKey = AdminCli.execute(masters, "zonegroup", "create", "other", "--local", zone(2),
                "--zone", zone(2) + "=" + zones.get(2).endpoint(), "--sync-access-key", "NOSUCHKEY123");
        assertNotEquals(0, unknownKey.status(), "a sync key this zone lacks: " + unknownKey.printed());
        assertEquals(1, state(2).zonegroup().epoch(), "nothing changed");
        assertEquals(ZONES, state(2).zonegroup().zones().size());
    }

    @Test
    void replicationStatusIsCompletedAtTheSourceOnceEveryZoneHasTheVersionAndReplicaElsewhere() {
        clients.get(0).createBucket(b -> b.bucket("repl-status"));
        awaitEverywhere("bucket repl-status", c -> c.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("repl-status")));
        clients.get(0).putObject(b -> b.bucket("repl-status").key("k"), RequestBody.fromString("made in zone 1"));
        String atFirst = clients.get(0).headObject(b -> b.bucket("repl-status").key("k")).replicationStatusAsString();
        assertTrue(java.util.Set.of("PENDING", "COMPLETED").contains(atFirst), atFirst);
        // the source learns that every zone applied it when its log is trimmed (every few seconds)
        await("COMPLETED in zone 1", () -> "COMPLETED".equals(
                clients.get(0).headObject(b -> b.bucket("repl-status").key("k")).replicationStatusAsString()));
        for (int z = 1; z < ZONES; z++) {
            S3Client c = clients.get(z);
            await("REPLICA in " + zone(z), () -> "REPLICA".equals(c.headObject(b -> b.bucket("repl-status").key("k")).replicationStatusAsString()));
        }
        assertEquals("COMPLETED", clients.get(0).getObject(b -> b.bucket("repl-status").key("k")).response().replicationStatusAsString());

        // a bucket whose rule keeps its objects in their zone answers no status, as S3 without a replication rule
        zones.get(0).objects().changeBucket("repl-status", p -> p.withSyncRule(SyncRule.OFF)).join();
        clients.get(0).putObject(b -> b.bucket("repl-status").key("local"), RequestBody.fromString("stays here"));
        // the gateway reads bucket settings cached for up to 2 s
        await("no status for a bucket kept in its zone", () ->
                clients.get(0).headObject(b -> b.bucket("repl-status").key("local")).replicationStatusAsString() == null);
    }

    @Test
    void objectsWrittenInAnyZoneReachEveryZoneWithTheirIdentity() {
        clients.get(0).createBucket(b -> b.bucket("spread"));
        awaitEverywhere("bucket spread", c -> c.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("spread")));
        for (int i = 0; i < ZONES; i++) {
            int z = i;
            clients.get(z).putObject(b -> b.bucket("spread").key("dir/from-" + zone(z)).contentType("text/plain")
                    .metadata(java.util.Map.of("origin", zone(z))), RequestBody.fromBytes(TestData.bytes(z, 300_000 + z)));
        }
        for (int i = 0; i < ZONES; i++) {
            int z = i;
            awaitEverywhere("object from " + zone(z), c -> exists(c, "spread", "dir/from-" + zone(z)));
        }
        for (int i = 0; i < ZONES; i++) {
            String key = "dir/from-" + zone(i);
            HeadObjectResponse origin = clients.get(i).headObject(b -> b.bucket("spread").key(key).checksumMode(ChecksumMode.ENABLED));
            assertNotNull(origin.checksumCRC32(), "the SDK's default checksum is kept");
            for (S3Client c : clients) {
                HeadObjectResponse h = c.headObject(b -> b.bucket("spread").key(key).checksumMode(ChecksumMode.ENABLED));
                assertEquals(origin.eTag(), h.eTag(), key);
                assertEquals(origin.checksumCRC32(), h.checksumCRC32(), key);
                assertEquals(origin.lastModified(), h.lastModified(), key);
                assertEquals("text/plain", h.contentType());
                assertEquals(zone(i), h.metadata().get("origin"));
                assertEquals(stamp(origin), stamp(h), key);
                assertArrayEquals(TestData.bytes(i, 300_000 + i), c.getObjectAsBytes(b -> b.bucket("spread").key(key)).asByteArray());
            }
        }
    }

    /**
     * Each zone has its own cluster key: an SSE-S3 object's content, small (inline) or not, is fetched decrypted through the
     * source zone's gateway and stored encrypted again under the receiving zone's key.
     */
    @Test
    void objectsEncryptedAtRestReachEveryZoneReadable() {
        clients.get(0).createBucket(b -> b.bucket("sse-spread"));
        awaitEverywhere("bucket sse-spread", c -> c.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("sse-spread")));
        for (int size : new int[] {100, 300_000}) {
            clients.get(0).putObject(b -> b.bucket("sse-spread").key("s" + size)
                    .serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256),
                    RequestBody.fromBytes(TestData.bytes(size, size)));
        }
        for (int size : new int[] {100, 300_000}) {
            awaitEverywhere("encrypted object of " + size + " bytes", c -> exists(c, "sse-spread", "s" + size));
            for (S3Client c : clients) {
                var got = c.getObjectAsBytes(b -> b.bucket("sse-spread").key("s" + size));
                assertArrayEquals(TestData.bytes(size, size), got.asByteArray());
                assertEquals(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256, got.response().serverSideEncryption());
            }
        }
    }

    @Test
    void aDeleteInOneZoneRemovesTheObjectEverywhereAndItStaysDeleted() {
        clients.get(1).createBucket(b -> b.bucket("deletes"));
        awaitEverywhere("bucket deletes", c -> c.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("deletes")));
        clients.get(0).putObject(b -> b.bucket("deletes").key("k"), RequestBody.fromString("to be deleted"));
        awaitEverywhere("k everywhere", c -> exists(c, "deletes", "k"));
        clients.get(2).deleteObject(b -> b.bucket("deletes").key("k"));
        awaitEverywhere("k deleted everywhere", c -> !exists(c, "deletes", "k"));
        // a write made before the delete and applied late never brings it back: the tombstone is newer
        sleep(1_000);
        for (S3Client c : clients) {
            assertTrue(!exists(c, "deletes", "k"));
        }
    }

    /**
     * A versioned bucket replicates its current versions: every zone keeps what a write replaced as a version of its own,
     * and a delete marker travels as a delete, after which each zone has its own marker over the same history.
     */
    @Test
    void aVersionedBucketReplicatesItsCurrentVersions() {
        clients.get(0).createBucket(b -> b.bucket("versions"));
        clients.get(0).putBucketVersioning(b -> b.bucket("versions").versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        awaitEverywhere("bucket versions versioned", c -> c.getBucketVersioning(b -> b.bucket("versions")).status()
                == BucketVersioningStatus.ENABLED);
        clients.get(0).putObject(b -> b.bucket("versions").key("k"), RequestBody.fromString("first"));
        awaitEverywhere("first version", c -> exists(c, "versions", "k"));
        clients.get(1).putObject(b -> b.bucket("versions").key("k"), RequestBody.fromString("second"));
        awaitEverywhere("second version", c -> c.getObjectAsBytes(b -> b.bucket("versions").key("k")).asUtf8String().equals("second"));
        clients.get(2).deleteObject(b -> b.bucket("versions").key("k"));
        awaitEverywhere("k deleted everywhere", c -> !exists(c, "versions", "k"));
        for (S3Client c : clients) {
            ListObjectVersionsResponse history = c.listObjectVersions(b -> b.bucket("versions"));
            assertEquals(1, history.deleteMarkers().size(), history.toString());
            assertTrue(history.deleteMarkers().getFirst().isLatest());
            assertEquals(2, history.versions().size(), history.toString());
            String older = history.versions().getLast().versionId();
            assertEquals("first", c.getObjectAsBytes(b -> b.bucket("versions").key("k").versionId(older)).asUtf8String());
        }
        awaitEverywhere("the same versions under the same ids",
                c -> versionsOf(c, "versions", "k").equals(versionsOf(clients.get(0), "versions", "k")));
    }

    @Test
    void concurrentPutsInAVersionedBucketKeepEveryVersionUnderOneIdInEveryZoneAndARemovalByIdGoesEverywhere() {
        clients.get(1).createBucket(b -> b.bucket("vrace"));
        clients.get(1).putBucketVersioning(b -> b.bucket("vrace").versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        awaitEverywhere("bucket vrace versioned",
                c -> c.getBucketVersioning(b -> b.bucket("vrace")).status() == BucketVersioningStatus.ENABLED);
        // zone 3's clock is ahead: the others' writes made before they see its versions lose to them and arrive there as older ones
        Map<String, String> written = new java.util.HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < ZONES; i++) {
                String body = "round " + round + " by " + zone(i);
                written.put(clients.get(i).putObject(b -> b.bucket("vrace").key("same"), RequestBody.fromString(body)).versionId(), body);
            }
        }
        assertEquals(3 * ZONES, written.size(), "every write has an id of its own");
        awaitEverywhere("every version of 'same'", c -> versionsOf(c, "vrace", "same").size() == written.size());
        awaitEverywhere("one list of versions", c -> versionsOf(c, "vrace", "same").equals(versionsOf(clients.get(0), "vrace", "same")));
        List<String> history = versionsOf(clients.get(0), "vrace", "same");
        assertTrue(history.getFirst().endsWith(" latest") && written.get(idOf(history.getFirst())).endsWith("by zone3"), history.toString());
        for (S3Client c : clients) {
            for (Map.Entry<String, String> w : written.entrySet()) {
                assertEquals(w.getValue(), c.getObjectAsBytes(b -> b.bucket("vrace").key("same").versionId(w.getKey())).asUtf8String(),
                        "version " + w.getKey());
            }
        }

        String noncurrent = idOf(history.get(4));
        String current = idOf(history.getFirst());
        clients.get(1).deleteObject(b -> b.bucket("vrace").key("same").versionId(noncurrent));
        clients.get(0).deleteObject(b -> b.bucket("vrace").key("same").versionId(current));
        awaitEverywhere("both versions removed", c -> versionsOf(c, "vrace", "same").size() == written.size() - 2);
        awaitEverywhere("one list after the removals",
                c -> versionsOf(c, "vrace", "same").equals(versionsOf(clients.get(0), "vrace", "same")));
        String promoted = written.get(idOf(history.get(1)));
        for (S3Client c : clients) {
            assertEquals(promoted, c.getObjectAsBytes(b -> b.bucket("vrace").key("same")).asUtf8String(), "the next newest is current");
            assertTrue(versionsOf(c, "vrace", "same").stream().noneMatch(v -> v.startsWith(noncurrent + " ") || v.startsWith(current + " ")));
        }
    }

    /** A key's versions and delete markers as the zone lists them, newest first: "id etag|marker[ latest]". */
    private static List<String> versionsOf(S3Client c, String bucket, String key) {
        ListObjectVersionsResponse r = c.listObjectVersions(b -> b.bucket(bucket).prefix(key));
        List<String> out = new ArrayList<>();
        r.versions().stream().filter(v -> v.key().equals(key))
                .forEach(v -> out.add(v.versionId() + " " + v.eTag() + (v.isLatest() ? " latest" : "")));
        r.deleteMarkers().stream().filter(m -> m.key().equals(key))
                .forEach(m -> out.add(m.versionId() + " marker" + (m.isLatest() ? " latest" : "")));
        return out;
    }

    private static String idOf(String listed) {
        return listed.substring(0, listed.indexOf(' '));
    }

    @Test
    void concurrentWritesToOneKeyConvergeOnTheSameVersionEverywhere() {
        clients.get(2).createBucket(b -> b.bucket("race"));
        awaitEverywhere("bucket race", c -> c.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("race")));
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < ZONES; i++) {
                int z = i;
                int r = round;
                clients.get(z).putObject(b -> b.bucket("race").key("same"), RequestBody.fromString("round " + r + " by " + zone(z)));
            }
        }
        awaitEverywhere("one version of 'same'", c -> stampOf(c, "race", "same").equals(stampOf(clients.get(0), "race", "same")));
        String winner = clients.get(0).getObjectAsBytes(b -> b.bucket("race").key("same")).asUtf8String();
        assertTrue(winner.startsWith("round 4 by "), winner);
        for (S3Client c : clients) {
            assertEquals(winner, c.getObjectAsBytes(b -> b.bucket("race").key("same")).asUtf8String());
        }
    }

    @Test
    void aWriteMadeAfterSeeingAnotherWinsThoughThatOnesClockIsAhead() {
        clients.get(0).createBucket(b -> b.bucket("skew"));
        awaitEverywhere("bucket skew", c -> c.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("skew")));
        clients.get(2).putObject(b -> b.bucket("skew").key("k"), RequestBody.fromString("zone 3, 5 minutes ahead"));
        awaitEverywhere("zone 3's version", c -> exists(c, "skew", "k"));
        String ahead = stampOf(clients.get(0), "skew", "k");
        // zone 1 has seen zone 3's version: its hybrid clock moved past it, whatever its wall clock says
        clients.get(0).putObject(b -> b.bucket("skew").key("k"), RequestBody.fromString("zone 1, after it"));
        String after = stampOf(clients.get(0), "skew", "k");
        assertTrue(ZoneStamp.parse(after).after(ZoneStamp.parse(ahead)), after + " after " + ahead);
        awaitEverywhere("zone 1's later version", c -> stampOf(c, "skew", "k").equals(after));
        for (S3Client c : clients) {
            assertEquals("zone 1, after it", c.getObjectAsBytes(b -> b.bucket("skew").key("k")).asUtf8String());
        }
    }

    @Test
    void aWriteCanWaitUntilEveryZoneHasIt() {
        clients.get(0).createBucket(b -> b.bucket("acked"));
        awaitEverywhere("bucket acked", c -> c.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("acked")));
        var put = clients.get(1).putObject(b -> b.bucket("acked").key("k")
                .overrideConfiguration(o -> o.putHeader("x-mooseng-sync-zones", "3")), RequestBody.fromString("in every zone"));
        assertEquals("3", put.sdkHttpResponse().firstMatchingHeader("x-mooseng-sync-zones").orElse(""));
        // no waiting: the answer came once the other zones held it
        for (S3Client c : clients) {
            assertEquals("in every zone", c.getObjectAsBytes(b -> b.bucket("acked").key("k")).asUtf8String());
        }
        var tooMany = assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class, () -> clients.get(1).putObject(b -> b
                .bucket("acked").key("k2").overrideConfiguration(o -> o.putHeader("x-mooseng-sync-zones", "4")), RequestBody.fromString("x")));
        assertEquals(400, tooMany.statusCode());
        assertTrue(!exists(clients.get(1), "acked", "k2"), "refused before anything was stored");
    }

    @Test
    void aBucketsSyncRuleKeepsObjectsWhereItSaysUntilWidenedThenBackfills() throws Exception {
        clients.get(0).createBucket(b -> b.bucket("ruled"));
        awaitEverywhere("bucket ruled", c -> c.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("ruled")));
        SyncRule rule = new SyncRule(true, List.of("zone1", "zone2"), "", List.of("shared/"));
        zones.get(0).objects().changeBucket("ruled", p -> p.withSyncRule(rule)).get(10, TimeUnit.SECONDS);
        await("the rule in zone 3", () -> zones.get(2).objects().getBucket("ruled").get(10, TimeUnit.SECONDS).policy().syncRule().equals(rule));
        clients.get(0).putObject(b -> b.bucket("ruled").key("shared/a"), RequestBody.fromString("zones 1 and 2"));
        clients.get(0).putObject(b -> b.bucket("ruled").key("private/b"), RequestBody.fromString("zone 1 only"));
        clients.get(2).putObject(b -> b.bucket("ruled").key("shared/c"), RequestBody.fromString("zone 3 is not in the rule"));
        await("shared/a in zone 2", () -> exists(clients.get(1), "ruled", "shared/a"));
        awaitCaughtUp();
        assertTrue(!exists(clients.get(2), "ruled", "shared/a"), "zone 3 is not one of the rule's zones");
        assertTrue(!exists(clients.get(1), "ruled", "private/b"), "private/ is outside the rule's prefixes");
        assertTrue(!exists(clients.get(0), "ruled", "shared/c") && !exists(clients.get(1), "ruled", "shared/c"));

        // widened in another zone: every flow it opens is backfilled by itself
        zones.get(1).objects().changeBucket("ruled", p -> p.withSyncRule(SyncRule.ALL)).get(10, TimeUnit.SECONDS);
        for (String key : List.of("shared/a", "private/b", "shared/c")) {
            awaitEverywhere(key + " after the rule widened", c -> exists(c, "ruled", key));
        }
    }

    @Test
    void aUserAndKeyCreatedInOneZoneWorkInTheOthersAndAPolicySetElsewhereAppliesEverywhere() {
        clients.get(0).createBucket(b -> b.bucket("identities"));
        S3Keys key = AdminCli.addUser(masters(0), "mz-reader", "readonly");
        for (int z = 1; z < ZONES; z++) {
            try (S3Client c = S3Clients.sync(URI.create(zones.get(z).endpoint()), key)) {
                await("mz-reader's key in " + zone(z), () -> c.listObjectsV2(b -> b.bucket("identities")).keyCount() == 0);
                assertEquals(403, assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class, () -> c.putObject(
                        b -> b.bucket("identities").key("k"), RequestBody.fromString("x"))).statusCode(), "readonly in " + zone(z));
            }
        }
        // its policy changed in zone 3 applies in zone 1
        AdminCli.run(masters(2), "user", "policy", "mz-reader", "--policy", "readwrite");
        try (S3Client c = S3Clients.sync(URI.create(zones.get(0).endpoint()), key)) {
            await("mz-reader writes in zone 1", () -> {
                c.putObject(b -> b.bucket("identities").key("by-reader"), RequestBody.fromString("written"));
                return true;
            });
        }
    }

    @Test
    void aKeyDisabledInOneZoneIsRefusedInAnother() {
        clients.get(0).createBucket(b -> b.bucket("disabled-keys"));
        S3Keys key = AdminCli.addUser(masters(0), "mz-writer", "readwrite");
        try (S3Client one = S3Clients.sync(URI.create(zones.get(0).endpoint()), key);
             S3Client two = S3Clients.sync(URI.create(zones.get(1).endpoint()), key)) {
            one.headBucket(b -> b.bucket("disabled-keys"));
            await("mz-writer's key in zone 2", () -> two.headBucket(b -> b.bucket("disabled-keys")) != null);
            assertTrue(AdminCli.run(masters(1), "key", "disable", key.accessKey()).contains("disabled"));
            await("the key refused in zone 1", () -> {
                try {
                    one.headBucket(b -> b.bucket("disabled-keys"));
                    return false;
                } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                    return e.statusCode() == 403;
                }
            });
            AdminCli.run(masters(2), "key", "enable", key.accessKey());
            await("the key enabled in zone 3 works in zone 1 again", () -> one.headBucket(b -> b.bucket("disabled-keys")) != null);
        }
    }

    @Test
    void aTagFilteredRuleReplicatesOnlyMatchingObjectsAndARetaggedOneArrives() {
        clients.get(0).createBucket(b -> b.bucket("tag-ruled"));
        awaitEverywhere("bucket tag-ruled", c -> c.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("tag-ruled")));
        String printed = AdminCli.run(masters(0), "sync", "policy", "tag-ruled", "--tag", "replicate=yes", "--tag", "team=a");
        assertTrue(printed.contains("objects tagged replicate=yes team=a"), printed);
        SyncRule rule = new SyncRule(true, List.of(), "", List.of(), Map.of("replicate", "yes", "team", "a"));
        for (int z = 1; z < ZONES; z++) {
            int zone = z;
            await("the rule in " + zone(z), () -> zones.get(zone).objects().getBucket("tag-ruled").get(10, TimeUnit.SECONDS).policy()
                    .syncRule().equals(rule));
        }
        clients.get(0).putObject(b -> b.bucket("tag-ruled").key("match").tagging("replicate=yes&team=a&extra=1"), RequestBody.fromString("m"));
        clients.get(0).putObject(b -> b.bucket("tag-ruled").key("partial").tagging("replicate=yes"), RequestBody.fromString("p"));
        clients.get(0).putObject(b -> b.bucket("tag-ruled").key("untagged"), RequestBody.fromString("u"));
        awaitEverywhere("the matching object", c -> exists(c, "tag-ruled", "match"));
        awaitCaughtUp();
        for (int z = 1; z < ZONES; z++) {
            assertTrue(!exists(clients.get(z), "tag-ruled", "partial"), "every tag of the rule must match");
            assertTrue(!exists(clients.get(z), "tag-ruled", "untagged"));
        }
        // tagged to match afterwards: the tag change is logged and the object follows
        clients.get(0).putObjectTagging(b -> b.bucket("tag-ruled").key("untagged").tagging(t -> t.tagSet(
                software.amazon.awssdk.services.s3.model.Tag.builder().key("replicate").value("yes").build(),
                software.amazon.awssdk.services.s3.model.Tag.builder().key("team").value("a").build())));
        awaitEverywhere("the retagged object", c -> exists(c, "tag-ruled", "untagged"));
        assertEquals("u", clients.get(2).getObjectAsBytes(b -> b.bucket("tag-ruled").key("untagged")).asUtf8String());
        assertEquals(2, clients.get(2).getObjectTagging(b -> b.bucket("tag-ruled").key("untagged")).tagSet().size());
        assertTrue(!exists(clients.get(1), "tag-ruled", "partial"));
    }

    private static String masters(int zone) {
        return zones.get(zone).raftAddress().toString();
    }

    /** What zone {@code zone}'s agent did with {@code peer} (while it pulls: a paused agent lists no peers). */
    private static PeerStatus peerStatus(int zone, int peer) {
        return zones.get(zone).sync().agent().peers().stream().filter(p -> p.peer().equals(zone(peer))).findFirst().orElseThrow();
    }

    /** Every zone has applied everything its peers logged (what the rules let through). */
    private static void awaitCaughtUp() {
        for (int z = 0; z < ZONES; z++) {
            int zone = z;
            await("zone " + (z + 1) + " caught up", () -> SyncLag.measure(zones.get(zone).objects().sync(), zones.get(zone).keySecrets(),
                    System.currentTimeMillis()).stream().allMatch(p -> p.error() == null && !p.fullSyncPending() && p.pending() == 0));
        }
    }

    @Test
    void driftTheLogNeverBroughtIsRepairedByAntiEntropyBothWaysAndADeletedKeyStaysDeleted() throws Exception {
        S3Client one = clients.get(0);
        S3Client two = clients.get(1);
        one.createBucket(b -> b.bucket("drift"));
        awaitEverywhere("bucket drift", c -> c.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("drift")));
        // zones 1 and 2 only: zone 3's log plays no part in what zone 2 gets
        SyncRule rule = new SyncRule(true, List.of(zone(0), zone(1)), "", List.of());
        zones.get(0).objects().changeBucket("drift", p -> p.withSyncRule(rule)).get(10, TimeUnit.SECONDS);
        await("the rule in zone 2", () -> zones.get(1).objects().getBucket("drift").get(10, TimeUnit.SECONDS).policy().syncRule().equals(rule));
        one.putObject(b -> b.bucket("drift").key("changed"), RequestBody.fromString("first"));
        one.putObject(b -> b.bucket("drift").key("deleted"), RequestBody.fromString("doomed"));
        await("both in zone 2", () -> exists(two, "drift", "changed") && exists(two, "drift", "deleted"));

        // what each zone's anti-entropy with the other repaired so far (counted as each run over every shared bucket ends)
        PeerStatus twoFromOne = peerStatus(1, 0);
        PeerStatus oneFromTwo = peerStatus(0, 1);
        // both zones stop pulling, as an administrator pauses them
        for (int z : new int[]{0, 1}) {
            AdminCli.Outcome paused = AdminCli.execute(zones.get(z).raftAddress().toString(), "sync", "pause");
            assertEquals(0, paused.status(), paused.printed());
            await(zone(z) + " paused", () -> zones.get(z).sync().agent().peers().isEmpty());
        }
        long repairedByTwo = twoFromOne.antiEntropyRepaired();
        long repairedByOne = oneFromTwo.antiEntropyRepaired();
        byte[] added = TestData.bytes(14, 300 * TestData.KiB);
        try {
            one.putObject(b -> b.bucket("drift").key("added"), RequestBody.fromBytes(added));
            one.putObject(b -> b.bucket("drift").key("changed"), RequestBody.fromString("second"));
            one.deleteObject(b -> b.bucket("drift").key("deleted"));
            two.putObject(b -> b.bucket("drift").key("from-two"), RequestBody.fromString("written in zone 2"));
            // zone 3 read past them (the rule keeps them from it) before the logs lose them
            await("zone 3 caught up", () -> SyncLag.measure(zones.get(2).objects().sync(), zones.get(2).keySecrets(),
                    System.currentTimeMillis()).stream().allMatch(p -> p.error() == null && !p.fullSyncPending() && p.pending() == 0));
            // each log loses its entries unread by the other (TrimSyncLog to the size bound: deletes keep their tombstones),
            // and each puller's cursors pass them, as a puller that lost entries would: the log will never bring them
            for (int[] pair : new int[][]{{0, 1}, {1, 0}}) {
                var source = zones.get(pair[0]).objects().sync();
                source.trimSyncLog(new long[SyncEntry.SHARDS], 0).get(10, TimeUnit.SECONDS);
                long[] heads = source.syncLogHeads().get(10, TimeUnit.SECONDS);
                zones.get(pair[1]).objects().sync().saveSyncCursors(zone(pair[0]), heads).get(10, TimeUnit.SECONDS);
            }
        } finally {
            for (int z : new int[]{0, 1}) {
                assertEquals(0, AdminCli.execute(zones.get(z).raftAddress().toString(), "sync", "resume").status());
            }
        }

        await("zone 2 repaired", () -> exists(two, "drift", "added") && !exists(two, "drift", "deleted")
                && two.getObjectAsBytes(b -> b.bucket("drift").key("changed")).asUtf8String().equals("second"));
        await("zone 1 repaired", () -> exists(one, "drift", "from-two"));
        assertArrayEquals(added, two.getObjectAsBytes(b -> b.bucket("drift").key("added")).asByteArray());
        assertEquals("written in zone 2", one.getObjectAsBytes(b -> b.bucket("drift").key("from-two")).asUtf8String());
        assertEquals(listing(one, "drift"), listing(two, "drift"));
        // the log never brought them: each zone's anti-entropy did (zone 2: added, changed, deleted; zone 1: from-two), counted
        // when its run over every bucket both zones hold ends, which in a class of many buckets is after the keys converged
        await("zone 2's anti-entropy counted its three repairs", () -> twoFromOne.antiEntropyRepaired() >= repairedByTwo + 3);
        await("zone 1's anti-entropy counted its repair", () -> oneFromTwo.antiEntropyRepaired() >= repairedByOne + 1);

        // a later comparison repairs nothing: zone 2's older version never comes back, and zone 1's tombstone of the deleted
        // key (kept by its size-bound trim; zone 2's went with its own trim) is not applied again at every run
        long runs = twoFromOne.antiEntropyRuns();
        await("another comparison", () -> twoFromOne.antiEntropyRuns() > runs);
        assertEquals(0, twoFromOne.lastAntiEntropy().repaired(), twoFromOne.lastAntiEntropy().toString());
        assertTrue(!exists(one, "drift", "deleted") && !exists(two, "drift", "deleted"));
        AdminCli.Outcome status = AdminCli.execute(zones.get(1).raftAddress().toString(), "sync", "status");
        assertTrue(status.printed().contains("anti-entropy"), status.printed());
    }

    @Test
    void aReadOfAKeySyncHasNotBroughtYetIsServedFromAPeerThatHasItUnlessDeletedHereSince() throws Exception {
        S3Client one = clients.get(0);
        S3Client two = clients.get(1);
        one.createBucket(b -> b.bucket("peer-read"));
        awaitEverywhere("bucket peer-read", c -> c.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("peer-read")));
        one.putObject(b -> b.bucket("peer-read").key("gone"), RequestBody.fromString("deleted in zone 2 later"));
        await("gone in zone 2", () -> exists(two, "peer-read", "gone"));
        for (int z : new int[]{0, 1}) {
            assertEquals(0, AdminCli.execute(zones.get(z).raftAddress().toString(), "sync", "pause").status());
            await(zone(z) + " paused", () -> zones.get(z).sync().agent().peers().isEmpty());
        }
        try {
            byte[] data = TestData.bytes(15, 200 * TestData.KiB);
            one.putObject(b -> b.bucket("peer-read").key("fresh"), RequestBody.fromBytes(data));
            two.deleteObject(b -> b.bucket("peer-read").key("gone"));

            var got = two.getObjectAsBytes(b -> b.bucket("peer-read").key("fresh"));
            assertArrayEquals(data, got.asByteArray());
            assertEquals(zone(0), got.response().sdkHttpResponse().firstMatchingHeader("x-mooseng-served-by-zone").orElse(null));
            assertEquals("REPLICA", got.response().replicationStatusAsString());
            var range = two.getObjectAsBytes(b -> b.bucket("peer-read").key("fresh").range("bytes=1000-1099"));
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 1000, 1100), range.asByteArray());
            String etag = got.response().eTag();
            var notModified = assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class,
                    () -> two.getObject(b -> b.bucket("peer-read").key("fresh").ifNoneMatch(etag)));
            assertEquals(304, notModified.statusCode());
            HeadObjectResponse head = two.headObject(b -> b.bucket("peer-read").key("fresh"));
            assertEquals(data.length, head.contentLength());
            assertEquals(zone(0), head.sdkHttpResponse().firstMatchingHeader("x-mooseng-served-by-zone").orElse(null));
            // nothing was stored by the reads: sync brings it
            assertThrows(Exception.class, () -> zones.get(1).objects().head("peer-read", "fresh").get(10, TimeUnit.SECONDS));
            // zone 1 still has the version zone 2 deleted since: the newer tombstone wins
            assertThrows(NoSuchKeyException.class, () -> two.getObject(b -> b.bucket("peer-read").key("gone")));
            assertThrows(NoSuchKeyException.class, () -> two.getObject(b -> b.bucket("peer-read").key("never-written")));
        } finally {
            for (int z : new int[]{0, 1}) {
                AdminCli.execute(zones.get(z).raftAddress().toString(), "sync", "resume");
            }
        }
        await("fresh synced to zone 2", () -> two.headObject(b -> b.bucket("peer-read").key("fresh")).sdkHttpResponse()
                .firstMatchingHeader("x-mooseng-served-by-zone").isEmpty());
        await("gone deleted in zone 1", () -> !exists(one, "peer-read", "gone"));
    }

    /** Each key with its ETag, in order. */
    private static List<String> listing(S3Client c, String bucket) {
        return c.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(o -> o.key() + " " + o.eTag()).toList();
    }

    @Test
    void aMalformedZonegroupIsRefusedWithAClearError() throws Exception {
        io.mooseng.s3.auth.Presigner signer = new io.mooseng.s3.auth.Presigner(URI.create(zones.get(1).endpoint()), KEYS.accessKey(),
                KEYS.secretKey(), "us-east-1");
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        for (String body : List.of("not json", "{}", "{\"name\":\"g\",\"epoch\":9,\"zones\":[{\"name\":\"Bad Name\",\"endpoints\":[]}],"
                + "\"syncAccessKey\":\"k\"}")) {
            String url = signer.presign("PUT", null, null, java.util.Map.of("mooseng-sync", "zonegroup", "zone", "zone2"), 60);
            var r = http.send(java.net.http.HttpRequest.newBuilder(URI.create(url)).PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), body + ": " + r.body());
            assertTrue(r.body().contains("InvalidArgument"), r.body());
        }
        assertEquals(1, state(1).zonegroup().epoch(), "nothing adopted");
    }

    /**
     * Encrypted part by part at its origin, the object is re-encrypted in each receiving zone as one run of chunks: it
     * still reads whole, by part and across the parts' boundary there.
     */
    @Test
    void aMultipartObjectKeepsItsEtagInEveryZone() {
        clients.get(1).createBucket(b -> b.bucket("parts"));
        awaitEverywhere("bucket parts", c -> c.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("parts")));
        S3Client c1 = clients.get(1);
        String upload = c1.createMultipartUpload(b -> b.bucket("parts").key("big")
                .serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int p = 1; p <= 2; p++) {
            int n = p;
            String etag = c1.uploadPart(b -> b.bucket("parts").key("big").uploadId(upload).partNumber(n),
                    RequestBody.fromBytes(TestData.bytes(n, n == 1 ? 5 << 20 : 1000))).eTag();
            parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
        }
        String etag = c1.completeMultipartUpload(b -> b.bucket("parts").key("big").uploadId(upload).multipartUpload(m -> m.parts(parts))).eTag();
        awaitEverywhere("big everywhere", c -> exists(c, "parts", "big"));
        byte[] last = TestData.bytes(2, 1000);
        for (S3Client c : clients) {
            assertEquals(etag, c.headObject(b -> b.bucket("parts").key("big")).eTag());
            assertEquals((5 << 20) + 1000, c.headObject(b -> b.bucket("parts").key("big")).contentLength());
            assertArrayEquals(last, c.getObjectAsBytes(b -> b.bucket("parts").key("big").partNumber(2)).asByteArray());
            byte[] across = c.getObjectAsBytes(b -> b.bucket("parts").key("big").range("bytes=" + ((5 << 20) - 10) + "-" + ((5 << 20) + 9)))
                    .asByteArray();
            assertArrayEquals(java.util.Arrays.copyOfRange(TestData.bytes(1, 5 << 20), (5 << 20) - 10, 5 << 20),
                    java.util.Arrays.copyOf(across, 10));
            assertArrayEquals(java.util.Arrays.copyOf(last, 10), java.util.Arrays.copyOfRange(across, 10, 20));
        }
    }

    @Test
    void dataAZoneHeldBeforeJoiningIsMergedIntoTheGroup() {
        awaitEverywhere("zone 3's old object everywhere", c -> exists(c, "before", "from-zone3"));
        for (S3Client c : clients) {
            assertEquals("old data of zone 3", c.getObjectAsBytes(b -> b.bucket("before").key("from-zone3")).asUtf8String());
        }
        // its users and keys too: the full sync carries them
        try (S3Client c = S3Clients.sync(URI.create(zones.get(0).endpoint()), userOfZone3)) {
            await("zone 3's earlier user in zone 1", () -> c.getObjectAsBytes(b -> b.bucket("before").key("from-zone3")).asUtf8String()
                    .equals("old data of zone 3"));
        }
    }

    @Test
    void whatAMountDoesInOneZoneAppearsInAnotherOverS3AndItsMount() throws Exception {
        Path one = mount(0);
        Path two = mount(1);
        Path bucket = Files.createDirectory(one.resolve("mounted"));
        Path dir = Files.createDirectory(bucket.resolve("docs"));
        Files.writeString(dir.resolve("a.txt"), "written through the mount in zone 1");
        Files.writeString(dir.resolve("b.txt"), "to be renamed");
        Files.writeString(dir.resolve("c.txt"), "to be removed");
        Files.setPosixFilePermissions(dir.resolve("a.txt"), PosixFilePermissions.fromString("rw-r-----"));
        Files.move(dir.resolve("b.txt"), dir.resolve("renamed.txt"));
        Files.delete(dir.resolve("c.txt"));
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve("a.txt"))) {
            ch.force(true); // the mount's changes under its lease are committed by now
        }
        S3Client s3 = clients.get(1);
        await("a.txt in zone 2", () -> exists(s3, "mounted", "docs/a.txt")
                && "rw-r-----".equals(permissionsOrNull(two.resolve("mounted/docs/a.txt"))));
        await("the rename and the removal in zone 2", () -> exists(s3, "mounted", "docs/renamed.txt")
                && !exists(s3, "mounted", "docs/b.txt") && !exists(s3, "mounted", "docs/c.txt"));
        assertEquals("written through the mount in zone 1", s3.getObjectAsBytes(b -> b.bucket("mounted").key("docs/a.txt")).asUtf8String());
        // the mount in zone 2 learns of the applied changes from the metadata's change feed, which it polls
        await("the rename through zone 2's mount", () -> Files.exists(two.resolve("mounted/docs/renamed.txt")));
        assertEquals("to be renamed", Files.readString(two.resolve("mounted/docs/renamed.txt")));
        assertTrue(Files.isDirectory(two.resolve("mounted/docs")));
        assertTrue(!Files.exists(two.resolve("mounted/docs/c.txt")));

        // a directory renamed through the mount takes every name under it along, in every zone
        Files.writeString(Files.createDirectory(dir.resolve("sub")).resolve("d.txt"), "deep");
        Path archive = Files.move(dir, bucket.resolve("archive"));
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(archive.resolve("a.txt"))) {
            ch.force(true);
        }
        await("the directory's rename in zone 2", () -> exists(s3, "mounted", "archive/a.txt")
                && exists(s3, "mounted", "archive/sub/d.txt") && exists(s3, "mounted", "archive/renamed.txt")
                && !exists(s3, "mounted", "docs/a.txt") && !exists(s3, "mounted", "docs/sub/d.txt"));
        await("the directory's rename through zone 2's mount", () -> Files.exists(two.resolve("mounted/archive/sub/d.txt"))
                && !Files.exists(two.resolve("mounted/docs")));
        assertEquals("deep", Files.readString(two.resolve("mounted/archive/sub/d.txt")));
        assertEquals("rw-r-----", permissionsOrNull(two.resolve("mounted/archive/a.txt")));
    }

    private static String permissionsOrNull(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Mounts zone {@code i} (once per test class and zone). */
    private static Path mount(int i) throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/fuse")), "no /dev/fuse here");
        Path point = Files.createDirectories(dirs.get(i).resolve("mnt"));
        MountConfig config = new MountConfig(null, MountConfig.DEFAULT_CACHE_TTL_MILLIS, dirs.get(i).resolve("staging"), 2, 0, 0, MountConfig.DEFAULT_PAGE_CACHE_BYTES);
        mounts.add(MountNode.start(List.of(zones.get(i).raftAddress().toString()), null, config,
                ObjectServiceConfig.defaults(StorageClass.replicated(2)), point, List.of(), MemoryPlan.of(0, true, false).objects(),
                MountStats.NONE, null));
        return point;
    }

    @Test
    void syncStatusShowsEveryPeerCaughtUpOnceWritesStop() throws Exception {
        clients.get(0).createBucket(b -> b.bucket("status"));
        for (int i = 0; i < 20; i++) {
            int n = i;
            clients.get(0).putObject(b -> b.bucket("status").key("k" + n), RequestBody.fromString("v" + n));
        }
        awaitEverywhere("20 objects", c -> c.listObjectsV2(b -> b.bucket("status")).keyCount() == 20);
        await("zone 2 caught up with zone 1", () -> {
            List<io.mooseng.core.status.PeerLag> peers = SyncLag.measure(zones.get(1).objects().sync(), zones.get(1).keySecrets(),
                    System.currentTimeMillis());
            return peers.size() == 2 && peers.stream().allMatch(p -> p.error() == null && !p.fullSyncPending() && p.pending() == 0);
        });
        // the web console's Multisite page reads the same measure through the gateway
        SignedHttp console = new SignedHttp(S3Server.of(URI.create(zones.get(1).endpoint()), KEYS));
        await("the console's multisite call shows both peers caught up", () -> {
            JsonNode doc = new ObjectMapper().readTree(console.send("GET", "/?mooseng-admin=multisite", Map.of(), new byte[0]).body());
            JsonNode peers = doc.get("peers");
            return doc.get("zone").asText().equals(zone(1)) && doc.get("zonegroup").asText().equals("test") && peers.size() == 2
                    && java.util.stream.StreamSupport.stream(peers.spliterator(), false)
                    .allMatch(p -> p.get("state").asText().equals("CAUGHT_UP") && p.get("pending").asLong() == 0 && p.has("lagSeconds"));
        });
        // both peers applied zone 1's log: zone 1 trims what they consumed
        await("zone 1's log trimmed", () -> {
            for (int shard = 0; shard < SyncEntry.SHARDS; shard++) {
                SyncLogPage page = zones.get(0).objects().sync().readSyncLog(shard, 0, 1).get(10, TimeUnit.SECONDS);
                if (page.head() > 0 && !page.trimmed()) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void theConsolesMultisitePageShowsEachPeerZoneCaughtUp() throws Exception {
        clients.get(0).createBucket(b -> b.bucket("console"));
        clients.get(0).putObject(b -> b.bucket("console").key("k"), RequestBody.fromString("v"));
        awaitEverywhere("the object", c -> exists(c, "console", "k"));
        ConsoleBrowser.run("multisite-e2e.mjs", Map.of("CONSOLE_URL", zones.get(1).endpoint() + "/-/console/",
                "ACCESS_KEY", KEYS.accessKey(), "SECRET_KEY", KEYS.secretKey(), "PEERS", String.valueOf(ZONES - 1)), (line, answer) -> {
        });
    }

    private static String stamp(HeadObjectResponse h) {
        return h.sdkHttpResponse().firstMatchingHeader("x-mooseng-stamp").orElse("none");
    }

    /** The stamp of the zone's own version ("absent" while only a peer serves the key). */
    private static String stampOf(S3Client c, String bucket, String key) {
        try {
            HeadObjectResponse h = c.headObject(b -> b.bucket(bucket).key(key));
            return heldHere(h) ? stamp(h) : "absent";
        } catch (NoSuchKeyException e) {
            return "absent";
        }
    }

    /** Whether the zone holds the object itself: a read of a key sync has not brought yet is served from a peer. */
    private static boolean exists(S3Client c, String bucket, String key) {
        try {
            return heldHere(c.headObject(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static boolean heldHere(HeadObjectResponse h) {
        return h.sdkHttpResponse().firstMatchingHeader("x-mooseng-served-by-zone").isEmpty();
    }

    private static SyncState state(int zone) throws Exception {
        return zones.get(zone).objects().sync().syncState().get(10, TimeUnit.SECONDS);
    }

    interface Check {
        boolean holds(S3Client c) throws Exception;
    }

    private static void awaitEverywhere(String what, Check check) {
        for (int i = 0; i < ZONES; i++) {
            S3Client c = clients.get(i);
            await(what + " in " + zone(i), () -> check.holds(c));
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Condition condition) {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            sleep(100);
        }
        fail("not within " + CONVERGE.toSeconds() + " s: " + what + (last == null ? "" : " (last error: " + last + ")"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
