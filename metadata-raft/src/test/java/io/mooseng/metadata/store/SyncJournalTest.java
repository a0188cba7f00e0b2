package io.mooseng.metadata.store;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.clock.HybridLogicalClock;
import io.mooseng.core.model.AccessKeyRecord;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.UserAccount;
import io.mooseng.core.model.VersionIds;
import io.mooseng.core.model.Versioning;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.CompletedPart;
import io.mooseng.core.model.ETags;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PartInfo;
import io.mooseng.core.model.RemoteApplied;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.ParkedChange;
import io.mooseng.core.model.RenameMode;
import io.mooseng.core.model.SyncDigest;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.SyncRule;
import io.mooseng.core.model.SyncEntry.Kind;
import io.mooseng.core.model.SyncLogPage;
import io.mooseng.core.model.SyncState;
import io.mooseng.core.model.ZoneStamp;
import io.mooseng.core.model.Zonegroup;
import io.mooseng.metadata.codec.ModelCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import static io.mooseng.core.model.SyncEntry.Kind.BUCKET_SETTINGS;
import static io.mooseng.core.model.SyncEntry.Kind.CREATE_BUCKET;
import static io.mooseng.core.model.SyncEntry.Kind.DELETE_BUCKET;
import static io.mooseng.core.model.SyncEntry.Kind.DELETE_OBJECT;
import static io.mooseng.core.model.SyncEntry.Kind.PUT_OBJECT;
import static io.mooseng.metadata.Fixtures.ONE_COPY;
import static io.mooseng.metadata.Fixtures.manifest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store's side of multisite sync, on real stores without Raft: the zone's configuration,
 * the change log every S3 change appends to, HLC stamps, last-writer-wins apply of a peer's
 * changes, tombstones, full-sync listings, trimming and the agent's cursors.
 */
@Timeout(30)
class SyncJournalTest {
    private static final Zonegroup GROUP = group(1, "http://z1");
    private static final ObjectProperties PROPS =
            new ObjectProperties("text/plain", Map.of("content-language", "en"), Map.of("color", "blue"));

    @TempDir
    Path dir;
    private final List<Site> sites = new ArrayList<>();

    @AfterEach
    void closeSites() {
        sites.forEach(Site::close);
    }

    // ---- no zone

    @Test
    void nothingIsLoggedOrStampedOutsideAZonegroup() {
        Site s = site("plain");
        s.run(ns -> ns.createBucket("b", ONE_COPY, 1000));
        s.run(ns -> ns.putObject("b", "k", small("hello", 2000), null));
        s.run(ns -> ns.deleteObject("b", "k", 3000, null));
        s.run(ns -> ns.putObject("b", "k", small("again", 4000), null));

        assertEquals(SyncState.NONE, s.read(Namespace::syncState));
        assertNull(s.object("b", "k").stamp());
        assertEquals(0, s.logged());
        assertEquals(List.of(PUT_OBJECT), kinds(s.read(ns -> ns.syncListing("b", null, 10))), "no tombstone");
    }

    @Test
    void onlyAZoneAppliesPeersChanges() {
        Site s = site("plain");
        SyncEntry entry = new SyncEntry(0, 1, DELETE_BUCKET, "b", "", new ZoneStamp(hlc(1000, 0), "z1"), List.of("z1"), 0, "", false,
                new byte[0]);
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> s.applyRemote(entry, null));
    }

    // ---- zone and zonegroup

    @Test
    void configureZoneNamesTheZone() {
        Site s = site("z1");
        assertEquals(new SyncState("z1", GROUP), s.apply(ns -> ns.configureZone("z1", GROUP)));
        assertEquals(new SyncState("z1", GROUP), s.reopen().read(Namespace::syncState));
    }

    @Test
    void aGroupWithoutTheZoneIsRefused() {
        Site s = site("z3");
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> s.apply(ns -> ns.configureZone("z3", GROUP)));
        assertEquals(SyncState.NONE, s.read(Namespace::syncState));
    }

    @Test
    void aZoneKeepsItsName() {
        Site s = zone("z1");
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> s.apply(ns -> ns.configureZone("z2", GROUP)));
        assertEquals("z1", s.read(Namespace::syncState).localZone());
    }

    @Test
    void theGroupOfTheHighestEpochIsKept() {
        Site s = site("z1");
        Zonegroup second = group(2, "http://z1-second");
        s.apply(ns -> ns.configureZone("z1", second));

        assertEquals(second, s.apply(ns -> ns.configureZone("z1", group(1, "http://z1-first"))).zonegroup());
        Zonegroup third = group(3, "http://z1-third");
        assertEquals(third, s.apply(ns -> ns.configureZone("z1", third)).zonegroup());
        assertEquals(third, s.read(Namespace::syncState).zonegroup());
    }

    @Test
    void groupsOfOneEpochResolveTheSameWayInEveryZone() {
        Zonegroup a = group(5, "http://a");
        Zonegroup b = group(5, "http://b");
        Zonegroup winner = a.fingerprint().compareTo(b.fingerprint()) > 0 ? a : b;
        Site first = site("z1");
        Site second = site("z2");
        first.apply(ns -> ns.configureZone("z1", a));
        first.apply(ns -> ns.configureZone("z1", b));
        second.apply(ns -> ns.configureZone("z2", b));
        second.apply(ns -> ns.configureZone("z2", a));

        assertEquals(winner, first.read(Namespace::syncState).zonegroup());
        assertEquals(winner, second.read(Namespace::syncState).zonegroup());
    }

    // ---- the change log

    @Test
    void eachChangeAppendsOneEntryToItsKeysShard() {
        Site z1 = zone("z1");
        SyncEntry created = logsOne(z1, CREATE_BUCKET, "b", "", ns -> ns.createBucket("b", ONE_COPY, 1000));
        assertEquals(1, created.seq());
        SyncEntry put = logsOne(z1, PUT_OBJECT, "b", "k", ns -> ns.putObject("b", "k", small("hello", 2000), null));
        assertIsStoredVersion(z1, put);
        logsOne(z1, DELETE_OBJECT, "b", "k", ns -> ns.deleteObject("b", "k", 3000, null));
        logsOne(z1, BUCKET_SETTINGS, "b", "", ns -> ns.setBucketPolicy("b", BucketPolicy.of(ONE_COPY).withTrashRetention(0)));
        logsOne(z1, DELETE_BUCKET, "b", "", ns -> ns.deleteBucket("b"));

        for (int shard = 0; shard < SyncEntry.SHARDS; shard++) {
            List<SyncEntry> entries = z1.log(shard);
            for (int i = 0; i < entries.size(); i++) {
                assertEquals(i + 1, entries.get(i).seq(), "shard " + shard + " counts from 1");
                assertEquals(shard, entries.get(i).shard());
            }
        }
    }

    @Test
    void aCompletedUploadIsLoggedAsOnePut() {
        Site z1 = zoneWithBucket("z1");
        long before = z1.logged();
        z1.run(ns -> ns.createUpload("b", "mp", "u1", PROPS, ONE_COPY, 3000));
        z1.run(ns -> ns.putPart("b", "mp", "u1", new PartInfo(1, 5, "p1", 3001, manifest(5, "p1", 3001))));
        z1.run(ns -> ns.putPart("b", "mp", "u1", new PartInfo(2, 5, "p2", 3002, manifest(5, "p2", 3002))));
        assertEquals(before, z1.logged(), "an upload's parts are not logged");

        SyncEntry put = logsOne(z1, PUT_OBJECT, "b", "mp", ns -> ns.completeUpload("b", "mp", "u1",
                List.of(new CompletedPart(1, "p1"), new CompletedPart(2, "p2")), 0, 4000, null));
        assertIsStoredVersion(z1, put);
        assertEquals(ETags.composite(List.of("p1", "p2"), 2), put.etag());
        assertEquals(10, put.size());
    }

    @Test
    void aRenamedDirectoryLogsEveryNameUnderItAsADeleteOfItsOldKeyAndAPutOfItsNewOne() {
        Site z1 = zoneWithBucket("z1");
        z1.run(ns -> ns.putObject("b", "d/x", small("x", 2000), null));
        z1.run(ns -> ns.putObject("b", "d/sub/", small("", 2001), null));
        z1.run(ns -> ns.putObject("b", "d/sub/y", small("y", 2002), null));
        z1.run(ns -> ns.putObject("b", "d/sub", small("beside its directory", 2003), null));
        ZoneStamp yBefore = z1.object("b", "d/sub/y").stamp();

        z1.run(ns -> ns.rename("b", "d", "e", RenameMode.REPLACE, 3000));

        for (String rest : List.of("x", "sub", "sub/", "sub/y")) {
            SyncEntry gone = z1.last("b", "d/" + rest);
            assertEquals(DELETE_OBJECT, gone.kind(), "d/" + rest);
            SyncEntry put = z1.last("b", "e/" + rest);
            assertEquals(PUT_OBJECT, put.kind(), "e/" + rest);
            assertIsStoredVersion(z1, put);
            assertTrue(put.stamp().compareTo(gone.stamp()) != 0);
        }
        assertTrue(z1.last("b", "d/sub/y").stamp().compareTo(yBefore) > 0, "the delete beats the version it removes");
        assertEquals("y", new String(z1.object("b", "e/sub/y").inlineData(), java.nio.charset.StandardCharsets.UTF_8));
        assertArrayEquals(utf8("beside its directory"), z1.object("b", "e/sub").inlineData());
    }

    @Test
    void directoriesRenamedIntoEachOtherInTwoZonesConvergeWithoutACycleEachNameOnce() {
        Site z1 = zoneWithBucket("z1");
        Site z2 = peerOf(z1);
        long[] start = z1.heads();
        z1.run(ns -> ns.putObject("b", "a/x", small("x", 2000), null));
        z1.run(ns -> ns.putObject("b", "b/y", small("y", 2001), null));
        pull(z1, z2, start);
        long[] z1Before = z1.heads();
        long[] z2Before = z2.heads();

        z1.run(ns -> ns.rename("b", "a", "b/a", RenameMode.REPLACE, 3000));   // mv a b/
        z2.run(ns -> ns.rename("b", "b", "a/b", RenameMode.REPLACE, 3000));   // mv b a/, meanwhile in zone 2
        pull(z1, z2, z1Before);
        pull(z2, z1, z2Before);

        assertEquals(List.of("a/b/y", "b/a/x"), objectKeys(z1));
        assertEquals(objectKeys(z1), objectKeys(z2));
    }

    @Test
    void aHardLinkArrivesAsASecondObjectWithOneNameEach() {
        Site z1 = zoneWithBucket("z1");
        Site z2 = peerOf(z1);
        long[] start = z1.heads();
        z1.run(ns -> ns.putObject("b", "f", small("same", 2000), null));
        z1.run(ns -> ns.link("b", "f", "g", 2001));
        assertEquals(2, z1.read(ns -> ns.lookup("b", "g")).posix().nlink());
        pull(z1, z2, start);
        assertEquals(List.of(1, 1), List.of(z2.read(ns -> ns.lookup("b", "f")).posix().nlink(), z2.read(ns -> ns.lookup("b", "g")).posix().nlink()));
    }

    @Test
    void aDirectoryTooWideToTravelAsOneChangeIsNotRenamedInAZone() {
        Site z1 = zoneWithBucket("z1");
        z1.run(ns -> {
            for (int i = 0; i <= Namespace.MAX_NAMES_MOVED_IN_A_ZONE; i++) {
                ns.putObject("b", "wide/" + i, small("", 2000), null);
            }
        });
        long logged = z1.logged();
        assertFails(ErrorCode.DIRECTORY_TOO_LARGE_TO_MOVE, () -> z1.run(ns -> ns.rename("b", "wide", "narrow", RenameMode.REPLACE, 3000)));
        assertEquals(logged, z1.logged());
        assertEquals(List.of("wide/0"), z1.listing(null, 1).stream().map(SyncEntry::key).toList());
    }

    /** Applies {@code from}'s entries after {@code after} (per shard) that {@code to} has not seen, as its agent would. */
    private static void pull(Site from, Site to, long[] after) {
        for (int shard = 0; shard < SyncEntry.SHARDS; shard++) {
            for (SyncEntry e : from.page(shard, after[shard]).entries()) {
                if (!e.seen().contains(to.name)) {
                    to.applyRemote(e, null);
                }
            }
        }
    }

    private static List<String> objectKeys(Site site) {
        return site.listing(null, 1000).stream().filter(e -> e.kind() == PUT_OBJECT).map(SyncEntry::key).toList();
    }

    @Test
    void aLocalDeleteOfAMissingKeyIsLoggedWithATombstone() {
        Site z1 = zoneWithBucket("z1");
        SyncEntry deleted = logsOne(z1, DELETE_OBJECT, "b", "ghost", ns -> ns.deleteObject("b", "ghost", 5000, null));
        assertEquals(List.of("DELETE_OBJECT ghost " + deleted.stamp()), keysAndStamps(z1.listing(null, 10)));
    }

    // ---- the hybrid logical clock

    @Test
    void stampsIncreaseEvenWhenTheWallClockGoesBack() {
        Site z1 = zone("z1");
        z1.run(ns -> ns.createBucket("b", ONE_COPY, 5000));
        assertEquals(hlc(5000, 0), z1.last("b", "").stamp().hlc());
        assertEquals(hlc(5000, 1), putStamp(z1, "k", 3000).hlc());
        assertEquals(hlc(5000, 2), putStamp(z1, "k", 3000).hlc());
        z1.run(ns -> ns.setBucketPolicy("b", BucketPolicy.of(ONE_COPY)));   // no time of its own
        assertEquals(hlc(5000, 3), z1.last("b", "").stamp().hlc());
        assertEquals(hlc(9000, 0), putStamp(z1, "k", 9000).hlc());
        assertEquals(hlc(9000, 1), putStamp(z1, "other", 8000).hlc());
    }

    @Test
    void theClockIsKeptAcrossRestarts() {
        Site z1 = zoneWithBucket("z1");
        putStamp(z1, "k", 9000);
        Site reopened = z1.reopen();
        assertEquals(new ZoneStamp(hlc(9000, 1), "z1"), putStamp(reopened, "k", 10));
    }

    @Test
    void aPeersLaterStampMovesTheClockPastIt() {
        Site z1 = zoneWithBucket("z1");
        Site z2 = peerOf(z1);
        z1.run(ns -> ns.putObject("b", "k", small("hello", 100_000), null));
        SyncEntry remote = z1.last("b", "k");
        assertTrue(z2.applyRemote(remote, content("hello")).applied());

        ZoneStamp local = putStamp(z2, "mine", 1);
        assertTrue(local.after(remote.stamp()));
        assertEquals(remote.stamp().hlc() + 1, local.hlc());
    }

    // ---- names written before the cluster joined the zonegroup: their stamps are times the clock never saw

    @Test
    void aPolicyChangeBeatsTheUnzonedStampOfTheBucket() {
        Site z1 = bucketBeforeZone();
        Site z2 = zone("z2");
        assertTrue(z2.applyRemote(z1.read(Namespace::syncBuckets).getFirst(), null).applied());   // full sync
        BucketPolicy policy = BucketPolicy.of(StorageClass.replicated(2));
        z1.run(ns -> ns.setBucketPolicy("b", policy));

        assertTrue(z2.applyRemote(z1.last("b", ""), null).applied());
        assertEquals(policy, z2.read(ns -> ns.getBucket("b")).policy());
    }

    @Test
    void aBucketDeletionBeatsTheUnzonedStampOfTheBucket() {
        Site z1 = bucketBeforeZone();
        Site z2 = zone("z2");
        assertTrue(z2.applyRemote(z1.read(Namespace::syncBuckets).getFirst(), null).applied());
        z1.run(ns -> ns.deleteBucket("b"));

        assertTrue(z2.applyRemote(z1.last("b", ""), null).applied());
        assertFails(ErrorCode.NO_SUCH_BUCKET, () -> z2.read(ns -> ns.getBucket("b")));
    }

    @Test
    void aPutBeatsTheUnzonedStampOfTheVersionItReplaces() {
        Site z1 = site("z1");
        z1.run(ns -> ns.createBucket("b", ONE_COPY, 1000));
        z1.run(ns -> ns.putObject("b", "k", small("dated", 10_000), null));   // a future mtime, as a mount's touch -d sets
        z1.apply(ns -> ns.configureZone("z1", GROUP));
        Site z2 = zone("z2");
        z2.applyRemote(z1.read(Namespace::syncBuckets).getFirst(), null);
        assertTrue(z2.applyRemote(z1.listing(null, 10).getFirst(), content("dated")).applied());

        z1.run(ns -> ns.putObject("b", "k", small("newer", 5000), null));

        assertTrue(z1.object("b", "k").stamp().after(ZoneStamp.unzoned(10_000)));
        assertTrue(z2.applyRemote(z1.last("b", "k"), content("newer")).applied());
        assertEquals(ETags.md5Hex(utf8("newer")), z2.object("b", "k").etag());
    }

    @Test
    void aDeleteBeatsTheUnzonedStampOfTheVersionItRemoves() {
        Site z1 = site("z1");
        z1.run(ns -> ns.createBucket("b", ONE_COPY, 1000));
        z1.run(ns -> ns.putObject("b", "k", small("dated", 10_000), null));
        z1.apply(ns -> ns.configureZone("z1", GROUP));
        Site z2 = zone("z2");
        z2.applyRemote(z1.read(Namespace::syncBuckets).getFirst(), null);
        z2.applyRemote(z1.listing(null, 10).getFirst(), content("dated"));

        z1.run(ns -> ns.deleteObject("b", "k", 5000, null));

        assertTrue(z2.applyRemote(z1.last("b", "k"), null).applied());
        assertFails(ErrorCode.NO_SUCH_KEY, () -> z2.object("b", "k"));
    }

    // ---- a peer's puts

    @Test
    void aPeersPutIsAppliedWithItsAttributesAndLoggedAgain() {
        Site z1 = zoneWithBucket("z1");
        Site z2 = peerOf(z1);
        z1.run(ns -> ns.putObject("b", "k", small("hello", 2000), null));
        SyncEntry remote = z1.last("b", "k");

        RemoteApplied outcome = z2.applyRemote(remote, content("hello"));

        assertTrue(outcome.applied());
        assertTrue(outcome.replaced().isEmpty());
        ObjectManifest there = z1.object("b", "k");
        ObjectManifest here = z2.object("b", "k");
        assertEquals(List.of(there.size(), there.etag(), there.mtimeMillis(), there.properties(), there.stamp()),
                List.of(here.size(), here.etag(), here.mtimeMillis(), here.properties(), here.stamp()));
        assertArrayEquals(utf8("hello"), here.inlineData());
        SyncEntry relogged = z2.last("b", "k");
        assertEquals(List.of(PUT_OBJECT, remote.stamp(), List.of("z1", "z2"), remote.size(), remote.etag()),
                List.of(relogged.kind(), relogged.stamp(), relogged.seen(), relogged.size(), relogged.etag()));
        assertArrayEquals(remote.payload(), relogged.payload());
    }

    // ---- anti-entropy digests

    @Test
    void zonesHoldingTheSameStateHaveTheSameDigestAndADifferenceShowsInOneChildOnly() {
        Site z1 = zoneWithBucket("z1");
        Site z2 = peerOf(z1);
        for (int i = 0; i < 40; i++) {
            String key = "k" + i;
            z1.run(ns -> ns.putObject("b", key, small("v " + key, 2000), null));
            assertTrue(z2.applyRemote(z1.last("b", key), null).applied());
        }
        z1.run(ns -> ns.deleteObject("b", "k7", 3000, null));
        assertTrue(z2.applyRemote(z1.last("b", "k7"), null).applied());
        SyncDigest one = z1.read(ns -> ns.syncDigest("b", "", "z2", null, 1000, false));
        SyncDigest two = z2.read(ns -> ns.syncDigest("b", "", "z1", null, 1000, false));
        assertArrayEquals(one.hashes(), two.hashes());
        assertArrayEquals(one.counts(), two.counts());
        assertEquals(40, java.util.stream.LongStream.of(one.counts()).sum(), "39 objects and a tombstone");
        assertNull(one.next());

        z1.run(ns -> ns.putObject("b", "k3", small("newer", 4000), null));
        SyncDigest changed = z1.read(ns -> ns.syncDigest("b", "", "z2", null, 1000, false));
        int child = SyncDigest.childOf("", SyncDigest.place("k3"));
        for (int c = 0; c < SyncDigest.CHILDREN; c++) {
            assertEquals(c != child, changed.sameChild(two, c), "child " + c);
        }
        // a page at a time adds up to the whole; a child range's entries are those placed in it
        SyncDigest paged = SyncDigest.empty();
        String after = null;
        do {
            String from = after;
            SyncDigest page = z1.read(ns -> ns.syncDigest("b", "", "z2", from, 7, false));
            paged = paged.plus(page);
            after = page.next();
        } while (after != null);
        assertArrayEquals(changed.hashes(), paged.hashes());
        String range = Character.toString(Character.forDigit(child, 16));
        List<SyncEntry> inRange = z1.read(ns -> ns.syncDigest("b", range, "z2", null, 1000, true)).entries();
        assertTrue(inRange.stream().anyMatch(e -> e.key().equals("k3")));
        assertTrue(inRange.stream().allMatch(e -> SyncDigest.place(e.key()).startsWith(range)));
    }

    @Test
    void keysTheSyncRuleKeepsFromAZoneAreNotInTheDigestComparedWithIt() {
        Site z1 = zoneWithBucket("z1");
        z1.run(ns -> ns.putObject("b", "shared/a", small("a", 2000), null));
        z1.run(ns -> ns.putObject("b", "private/b", small("b", 2000), null));
        z1.run(ns -> ns.setBucketPolicy("b", ns.getBucket("b").policy().withSyncRule(new SyncRule(true, List.of(), "", List.of("shared/")))));
        SyncDigest d = z1.read(ns -> ns.syncDigest("b", "", "z2", null, 1000, true));
        assertEquals(List.of("shared/a"), d.entries().stream().map(SyncEntry::key).toList());
    }

    /** S3 lets a/b and a/b/... coexist: a peer's put of a/b applies where a/b/ is a directory here, and the reverse. */
    @Test
    void aPeersPutBesideADirectoryOfItsNameIsApplied() {
        Site z1 = zoneWithBucket("z1");
        Site z2 = peerOf(z1);
        z2.run(ns -> ns.putObject("b", "a/b/c", small("under", 1000), null));
        z1.run(ns -> ns.putObject("b", "a/b", small("object", 2000), null));
        z1.run(ns -> ns.putObject("b", "x/y", small("x", 2000), null));
        z2.run(ns -> ns.putObject("b", "x", small("object", 1000), null));

        assertTrue(z2.applyRemote(z1.last("b", "a/b"), content("object")).applied());
        assertTrue(z2.applyRemote(z1.last("b", "x/y"), content("x")).applied());

        assertArrayEquals(utf8("object"), z2.object("b", "a/b").inlineData());
        assertArrayEquals(utf8("under"), z2.object("b", "a/b/c").inlineData());
        assertArrayEquals(utf8("object"), z2.object("b", "x").inlineData());
        assertArrayEquals(utf8("x"), z2.object("b", "x/y").inlineData());
    }

    /** A mount's change through a twin name travels under the object's key. */
    @Test
    void aMountsChangesThroughATwinNameAreLoggedUnderTheObjectsKey() {
        Site z1 = zoneWithBucket("z1");
        z1.run(ns -> ns.putObject("b", "a/b", small("object", 1000), null));
        z1.run(ns -> ns.putObject("b", "a/b/c", small("under", 1000), null));
        z1.run(ns -> ns.rename("b", "a/b.~object", "a/plain", io.mooseng.core.model.RenameMode.REPLACE, 2000));
        assertEquals(DELETE_OBJECT, z1.last("b", "a/b").kind());
        assertEquals(PUT_OBJECT, z1.last("b", "a/plain").kind());
        z1.run(ns -> ns.putObject("b", "a/b", small("again", 3000), null));
        z1.run(ns -> ns.unlink("b", "a/b.~object", false, 4000));
        assertEquals(DELETE_OBJECT, z1.last("b", "a/b").kind());
        assertEquals(PUT_OBJECT, z1.last("b", "a/b/c").kind());
    }

    @Test
    void aPeersMultipartObjectKeepsItsEtagAndOrigin() {
        Site z1 = zoneWithBucket("z1");
        Site z2 = peerOf(z1);
        z1.run(ns -> ns.createUpload("b", "mp", "u1", PROPS, ONE_COPY, 3000));
        z1.run(ns -> ns.putPart("b", "mp", "u1", new PartInfo(1, 5, "p1", 3001, manifest(5, "p1", 3001))));
        z1.run(ns -> ns.putPart("b", "mp", "u1", new PartInfo(2, 5, "p2", 3002, manifest(5, "p2", 3002))));
        z1.run(ns -> ns.completeUpload("b", "mp", "u1", List.of(new CompletedPart(1, "p1"), new CompletedPart(2, "p2")), 0, 4000, null));

        // a multipart ETag is no digest of the bytes: only the size is checked
        assertTrue(z2.applyRemote(z1.last("b", "mp"), content("0123456789")).applied());

        ObjectManifest here = z2.object("b", "mp");
        assertEquals(z1.object("b", "mp").etag(), here.etag());
        assertEquals(z1.object("b", "mp").multipart(), here.multipart());
        assertEquals(PROPS, here.properties());
    }

    @Test
    void aChangeAppliedTwiceIsAppliedOnce() {
        Site z1 = zoneWithBucket("z1");
        Site z2 = peerOf(z1);
        z1.run(ns -> ns.putObject("b", "k", small("hello", 2000), null));
        SyncEntry remote = z1.last("b", "k");
        z2.applyRemote(remote, content("hello"));
        long logged = z2.logged();

        assertFalse(z2.applyRemote(remote, content("hello")).applied());
        assertEquals(logged, z2.logged());
    }

    // ---- versioned buckets: every version kept under its origin's id

    @Test
    void concurrentVersionsOfAKeyConvergeToOneListInStampOrderWhateverOrderTheyArriveIn() {
        Site z1 = versionedZone();
        Site z2 = versionedPeerOf(z1);
        long[] z1Before = z1.heads();
        long[] z2Before = z2.heads();
        // written in both zones before either saw the other's: stamps interleave
        z1.run(ns -> ns.putObject("b", "k", small("a1", 2000), null));
        z1.run(ns -> ns.deleteObjectVersion("b", "k", null, 2500, null, false));
        z2.run(ns -> ns.putObject("b", "k", small("b1", 3000), null));
        z1.run(ns -> ns.putObject("b", "k", small("a2", 4000), null));
        z2.run(ns -> ns.putObject("b", "k", small("b2", 5000), null));

        pull(z1, z2, z1Before);
        pullReversed(z2, z1, z2Before);

        List<String> expected = List.of(
                etagOf("b2") + " latest", etagOf("a2"), etagOf("b1"), "marker", etagOf("a1"));
        assertEquals(expected, versionList(z1).stream().map(v -> v.substring(v.indexOf(' ') + 1)).toList());
        assertEquals(versionList(z1), versionList(z2), "the same ids in the same order in both zones");
        assertEquals(etagOf("b2"), z1.object("b", "k").etag());
        for (String v : versionList(z1)) {
            String id = v.substring(0, v.indexOf(' '));
            assertEquals(versionOf(z1, id), versionOf(z2, id), "version " + id + " reachable by its id in both zones");
        }
        long logged = z2.logged();
        pull(z1, z2, z1Before); // again: nothing changes
        assertEquals(logged, z2.logged());
        assertEquals(versionList(z1), versionList(z2));
    }

    @Test
    void aVersionRemovedByIdInOneZoneGoesInEveryZoneAndALateCopyStaysOut() {
        Site z1 = versionedZone();
        Site z2 = versionedPeerOf(z1);
        long[] z1Before = z1.heads();
        z1.run(ns -> ns.putObject("b", "k", small("v1", 2000), null));
        SyncEntry first = z1.last("b", "k");
        z1.run(ns -> ns.putObject("b", "k", small("v2", 3000), null));
        z1.run(ns -> ns.putObject("b", "k", small("v3", 4000), null));
        pull(z1, z2, z1Before);
        String v1 = first.versionId();
        String v3 = z1.last("b", "k").versionId();
        long[] z2Before = z2.heads();

        z2.run(ns -> ns.deleteObjectVersion("b", "k", v1, 5000, null, false));
        z2.run(ns -> ns.deleteObjectVersion("b", "k", v3, 5001, null, false)); // the current one: v2 is current again
        SyncEntry removal = z2.last("b", "k");
        assertEquals(List.of(Kind.DELETE_VERSION, v3), List.of(removal.kind(), removal.versionId()));
        pull(z2, z1, z2Before);

        assertEquals(List.of(etagOf("v2") + " latest"), versionList(z1).stream().map(v -> v.substring(v.indexOf(' ') + 1)).toList());
        assertEquals(versionList(z2), versionList(z1));
        assertEquals(etagOf("v2"), z1.object("b", "k").etag());
        assertFalse(z2.applyRemote(first, null).applied(), "a copy of a removed version arriving late stays out");
        assertEquals(versionList(z1), versionList(z2));
    }

    @Test
    void aFullSyncListingOfAVersionedBucketCarriesEveryVersionUnderItsIdInPagesEndingBetweenKeys() {
        Site z1 = versionedZone();
        z1.run(ns -> ns.putObject("b", "j", small("j1", 1900), null));
        z1.run(ns -> ns.putObject("b", "k", small("v1", 2000), null));
        z1.run(ns -> ns.deleteObjectVersion("b", "k", null, 2500, null, false));
        z1.run(ns -> ns.putObject("b", "k", small("v2", 3000), null));
        z1.run(ns -> ns.putObject("b", "l", small("l1", 3100), null));
        z1.run(ns -> ns.deleteObjectVersion("b", "l", null, 3200, null, false));
        Site z2 = versionedPeerOf(z1);

        String after = null;
        for (List<SyncEntry> page; !(page = z1.listing(after, 2)).isEmpty(); after = page.getLast().key()) {
            page.forEach(e -> z2.applyRemote(e, null));
        }

        assertEquals(6, versionList(z1, "").size(), "j1; v2, a marker and v1; a marker and l1");
        assertEquals(versionList(z1, ""), versionList(z2, ""));
    }

    @Test
    void aZoneThatMissedARemovalByIdDropsTheVersionOnAFullSync() {
        Site z1 = versionedZone();
        Site z2 = versionedPeerOf(z1);
        long[] before = z1.heads();
        z1.run(ns -> ns.putObject("b", "k", small("v1", 2000), null));
        String v1 = z1.last("b", "k").versionId();
        z1.run(ns -> ns.putObject("b", "k", small("v2", 3000), null));
        pull(z1, z2, before);
        z1.run(ns -> ns.deleteObjectVersion("b", "k", v1, 4000, null, false));

        // z2 never pulls the removal (as when z1's log was trimmed past its cursor): its full sync brings it
        String after = null;
        for (List<SyncEntry> page; !(page = z1.listing(after, 1)).isEmpty(); after = page.getLast().key()) {
            page.forEach(e -> z2.applyRemote(e, null));
        }

        assertEquals(List.of(etagOf("v2") + " latest"), versionList(z2).stream().map(v -> v.substring(v.indexOf(' ') + 1)).toList());
        assertEquals(versionList(z1), versionList(z2));
    }

    @Test
    void aTagChangeOfTheCurrentVersionReplacesThePeersCopyUnderTheSameId() {
        Site z1 = versionedZone();
        Site z2 = versionedPeerOf(z1);
        long[] before = z1.heads();
        z1.run(ns -> ns.putObject("b", "k", small("v1", 2000), null));
        z1.run(ns -> ns.putObject("b", "k", small("v2", 3000), null));
        pull(z1, z2, before);
        long[] retagged = z1.heads();
        io.mooseng.core.model.ObjectInfo current = z1.read(ns -> ns.getObject("b", "k"));
        ObjectManifest m = current.manifest();
        z1.run(ns -> ns.replaceManifest("b", "k", current.inode(),
                m.withAttributes(m.mtimeMillis(), m.properties().withTags(Map.of("color", "red")), m.posix())));
        assertEquals(m.versionId(), z1.last("b", "k").versionId(), "logged as a put of the same version");

        pull(z1, z2, retagged);

        assertEquals(Map.of("color", "red"), z2.object("b", "k").properties().tags());
        assertEquals(versionList(z1), versionList(z2));
        assertEquals(2, versionList(z2).size());
    }

    /** Each zone's versions of b/k as "id [etag|marker][ latest]", newest first. */
    private static List<String> versionList(Site site) {
        return versionList(site, "k");
    }

    /** The versions of bucket b's keys under {@code prefix}, as {@link #versionList(Site)} lists them. */
    private static List<String> versionList(Site site, String prefix) {
        return site.read(ns -> ns.listObjectVersions("b", new io.mooseng.core.model.VersionListRequest(prefix, null, null, null, 1000)))
                .versions().stream()
                .map(v -> v.versionId() + " " + (v.deleteMarker() ? "marker" : v.object().etag()) + (v.latest() ? " latest" : ""))
                .toList();
    }

    private static String versionOf(Site site, String id) {
        io.mooseng.core.model.ObjectVersion v = site.read(ns -> ns.getObjectVersion("b", "k", id));
        return v.deleteMarker() ? "marker" : v.object().etag();
    }

    private static String etagOf(String text) {
        return ETags.md5Hex(utf8(text));
    }

    /** As {@link #pull}, each shard's entries newest first: arrival order does not matter. */
    private static void pullReversed(Site from, Site to, long[] after) {
        for (int shard = 0; shard < SyncEntry.SHARDS; shard++) {
            for (SyncEntry e : from.page(shard, after[shard]).entries().reversed()) {
                if (!e.seen().contains(to.name)) {
                    to.applyRemote(e, null);
                }
            }
        }
    }

    /** Zone z1 with bucket "b", versioning enabled. */
    private Site versionedZone() {
        Site z1 = zoneWithBucket("z1");
        z1.run(ns -> ns.setBucketPolicy("b", ns.getBucket("b").policy().withVersioning(Versioning.ENABLED)));
        return z1;
    }

    private Site versionedPeerOf(Site z1) {
        Site z2 = peerOf(z1);
        z2.applyRemote(z1.last("b", ""), null);
        return z2;
    }

    @Test
    void aPutOlderThanTheCurrentVersionIsSkipped() {
        Site z1 = zoneWithBucket("z1");
        Site z2 = peerOf(z1);
        z1.run(ns -> ns.putObject("b", "k", small("older", 2000), null));
        SyncEntry older = z1.last("b", "k");
        z1.run(ns -> ns.putObject("b", "k", small("newer", 3000), null));
        z2.applyRemote(z1.last("b", "k"), content("newer"));
        long logged = z2.logged();

        assertFalse(z2.applyRemote(older, content("older")).applied());
        assertEquals(ETags.md5Hex(utf8("newer")), z2.object("b", "k").etag());
        assertEquals(logged, z2.logged());
    }

    @Test
    void contentWithAnotherDigestIsRefused() {
        Site z1 = zoneWithBucket("z1");
        Site z2 = peerOf(z1);
        z1.run(ns -> ns.putObject("b", "k", small("hello", 2000), null));
        long logged = z2.logged();

        assertFails(ErrorCode.BAD_DIGEST, () -> z2.applyRemote(z1.last("b", "k"), content("jello")));
        assertFails(ErrorCode.NO_SUCH_KEY, () -> z2.object("b", "k"));
        assertEquals(logged, z2.logged());
    }

    @Test
    void contentOfAnotherSizeIsRefused() {
        Site z1 = zoneWithBucket("z1");
        Site z2 = peerOf(z1);
        z1.run(ns -> ns.putObject("b", "k", small("hello", 2000), null));
        ObjectManifest shorter = new ObjectManifest(4, z1.last("b", "k").etag(), 0, ObjectProperties.EMPTY, ONE_COPY, List.of(),
                utf8("hell"));
        long logged = z2.logged();

        assertFails(ErrorCode.BAD_DIGEST, () -> z2.applyRemote(z1.last("b", "k"), shorter));
        assertFails(ErrorCode.NO_SUCH_KEY, () -> z2.object("b", "k"));
        assertEquals(logged, z2.logged());
    }

    // ---- deletes and tombstones

    @Test
    void aPeersDeleteRemovesTheObjectAndLeavesATombstone() {
        Site z1 = zoneWithBucket("z1");
        Site z2 = peerOf(z1);
        z1.run(ns -> ns.putObject("b", "k", small("hello", 2000), null));
        z2.applyRemote(z1.last("b", "k"), content("hello"));
        z1.run(ns -> ns.deleteObject("b", "k", 3000, null));
        SyncEntry delete = z1.last("b", "k");

        assertTrue(z2.applyRemote(delete, null).applied());

        assertFails(ErrorCode.NO_SUCH_KEY, () -> z2.object("b", "k"));
        assertEquals(List.of("DELETE_OBJECT k " + delete.stamp()), keysAndStamps(z2.listing(null, 10)));
        assertEquals(List.of("z1", "z2"), z2.last("b", "k").seen());
    }

    @Test
    void aPutOlderThanATombstoneDoesNotResurrectTheObject() {
        Site z1 = zoneWithBucket("z1");
        Site z2 = peerOf(z1);
        z1.run(ns -> ns.putObject("b", "k", small("hello", 2000), null));
        SyncEntry put = z1.last("b", "k");
        z1.run(ns -> ns.deleteObject("b", "k", 3000, null));
        z2.applyRemote(z1.last("b", "k"), null);

        assertFalse(z2.applyRemote(put, content("hello")).applied());
        assertFails(ErrorCode.NO_SUCH_KEY, () -> z2.object("b", "k"));
    }

    @Test
    void aPutNewerThanATombstoneAppliesAndClearsIt() {
        Site z1 = zoneWithBucket("z1");
        Site z2 = peerOf(z1);
        z1.run(ns -> ns.deleteObject("b", "k", 2000, null));
        z2.applyRemote(z1.last("b", "k"), null);
        z1.run(ns -> ns.putObject("b", "k", small("back", 3000), null));

        assertTrue(z2.applyRemote(z1.last("b", "k"), content("back")).applied());

        assertEquals(List.of("PUT_OBJECT k " + z1.last("b", "k").stamp()), keysAndStamps(z2.listing(null, 10)));
    }

    @Test
    void aTombstoneGoesOnceEveryPeerAppliedItsDeleteNotWhenTheLogIsMerelyTooLong() {
        Site z1 = zoneWithBucket("z1");
        int shard = SyncEntry.shardOf("b", "k");
        z1.run(ns -> ns.putObject("b", "k", small("hello", 2000), null));
        z1.run(ns -> ns.deleteObject("b", "k", 3000, null));
        long head = z1.page(shard, 0).head();

        z1.run(ns -> ns.trimSyncLog(new long[SyncEntry.SHARDS], 0));
        assertEquals(List.of(DELETE_OBJECT), kinds(z1.listing(null, 10)), "trimmed for size only: the tombstone stays");

        z1.run(ns -> ns.putObject("b", "k2", small("x", 4000), null));
        z1.run(ns -> ns.deleteObject("b", "k2", 5000, null));
        int shard2 = SyncEntry.shardOf("b", "k2");
        long[] consumed = new long[SyncEntry.SHARDS];
        consumed[shard2] = z1.page(shard2, 0).head();
        z1.run(ns -> ns.trimSyncLog(consumed, Long.MAX_VALUE));
        assertEquals(List.of("k"), z1.listing(null, 10).stream().map(SyncEntry::key).toList(),
                "k2's delete was applied by every peer: its tombstone went with it" + (shard == shard2 ? " (same shard: " + head + ")" : ""));
    }

    @Test
    void theReplicatedWatermarkMovesWithTrimsOfWhatEveryPeerAppliedAndOnlyForThisZonesChanges() {
        Site z1 = zoneWithBucket("z1");
        Site z2 = peerOf(z1);
        int shard = SyncEntry.shardOf("b", "k");
        z1.run(ns -> ns.putObject("b", "k", small("first", 2000), null));
        SyncEntry first = z1.last("b", "k");
        z1.run(ns -> ns.putObject("b", "k", small("second", 3000), null));
        SyncEntry second = z1.last("b", "k");

        // the log kept to one entry per shard: the first put goes, not known applied
        z1.run(ns -> ns.trimSyncLog(new long[SyncEntry.SHARDS], 1));
        assertEquals(0, z1.read(Namespace::syncReplicated)[shard], "trimmed for size only: nothing known applied");
        long[] consumed = new long[SyncEntry.SHARDS];
        consumed[shard] = second.seq();
        z1.run(ns -> ns.trimSyncLog(consumed, Long.MAX_VALUE));
        assertEquals(second.stamp().hlc(), z1.read(Namespace::syncReplicated)[shard]);
        assertTrue(first.stamp().hlc() < second.stamp().hlc());

        // a peer's change applied here and trimmed later does not move this zone's watermark
        z2.run(ns -> ns.putObject("b", "other", small("from z2", 9000), null));
        SyncEntry remote = z2.last("b", "other");
        z1.applyRemote(remote, content("from z2"));
        long[] all = z1.read(Namespace::syncLogHeads);
        z1.run(ns -> ns.trimSyncLog(all, Long.MAX_VALUE));
        assertTrue(z1.read(Namespace::syncReplicated)[remote.shard()] < remote.stamp().hlc(), "only z1's own changes count");
    }

    @Test
    void aLocalPutClearsTheKeysTombstone() {
        Site z1 = zoneWithBucket("z1");
        z1.run(ns -> ns.deleteObject("b", "k", 2000, null));
        z1.run(ns -> ns.putObject("b", "k", small("back", 3000), null));
        assertEquals(List.of(PUT_OBJECT), kinds(z1.listing(null, 10)));
    }

    @Test
    void aFullSyncListingInterleavesObjectsAndTombstonesInKeyOrder() {
        Site z1 = zoneWithBucket("z1");
        List<String> objects = List.of("a", "c/x", "e", "g");
        for (String key : objects) {
            z1.run(ns -> ns.putObject("b", key, small(key, 2000), null));
        }
        for (String key : List.of("b", "c-y", "d", "f")) {
            z1.run(ns -> ns.deleteObject("b", key, 3000, null));
        }
        // '-' sorts before '/', so the tombstone c-y comes before the object c/x
        List<String> all = List.of("a", "b", "c-y", "c/x", "d", "e", "f", "g");

        List<SyncEntry> listing = z1.listing(null, 100);
        assertEquals(all, keys(listing));
        for (SyncEntry e : listing) {
            assertEquals(objects.contains(e.key()) ? PUT_OBJECT : DELETE_OBJECT, e.kind(), e.key());
            assertEquals(0, e.seq());
            assertEquals(z1.last("b", e.key()).stamp(), e.stamp(), e.key());
        }
        for (int limit = 1; limit <= 4; limit++) {
            assertEquals(all, pagedKeys(z1, limit), "pages of " + limit);
        }
        assertEquals(List.of("c/x", "d"), keys(z1.listing("c-y", 2)));
    }

    // ---- buckets

    @Test
    void aPeersBucketIsCreatedWithItsPolicy() {
        Site z1 = zone("z1");
        Site z2 = zone("z2");
        BucketPolicy policy = BucketPolicy.of(StorageClass.replicated(2)).withTrashRetention(0);
        z1.run(ns -> ns.createBucket("b", ONE_COPY, 1000));
        z1.run(ns -> ns.setBucketPolicy("b", policy));

        assertTrue(z2.applyRemote(z1.log(SyncEntry.shardOf("b", "")).getFirst(), null).applied());
        assertEquals(BucketPolicy.of(ONE_COPY), z2.read(ns -> ns.getBucket("b")).policy());
        assertTrue(z2.applyRemote(z1.last("b", ""), null).applied());

        BucketInfo here = z2.read(ns -> ns.getBucket("b"));
        assertEquals(policy, here.policy());
        assertEquals(1000, here.createdMillis());
        assertEquals(List.of("z1", "z2"), z2.last("b", "").seen());
    }

    @Test
    void olderBucketSettingsAreSkipped() {
        Site z1 = zoneWithBucket("z1");
        Site z2 = peerOf(z1);
        BucketPolicy older = BucketPolicy.of(StorageClass.replicated(2));
        BucketPolicy newer = BucketPolicy.of(StorageClass.replicated(3));
        z1.run(ns -> ns.setBucketPolicy("b", older));
        SyncEntry first = z1.last("b", "");
        z1.run(ns -> ns.setBucketPolicy("b", newer));
        z2.applyRemote(z1.last("b", ""), null);

        assertFalse(z2.applyRemote(first, null).applied());
        assertEquals(newer, z2.read(ns -> ns.getBucket("b")).policy());
    }

    @Test
    void aPeersDeleteOfANonEmptyBucketFailsAndChangesNothing() {
        Site z1 = zoneWithBucket("z1");
        Site z2 = peerOf(z1);
        z2.run(ns -> ns.putObject("b", "k", small("local", 2000), null));
        z1.run(ns -> ns.deleteBucket("b"));
        long logged = z2.logged();
        List<SyncEntry> buckets = z2.read(Namespace::syncBuckets);

        assertFails(ErrorCode.BUCKET_NOT_EMPTY, () -> z2.applyRemote(z1.last("b", ""), null));

        assertEquals("local".length(), z2.object("b", "k").size());
        assertEquals(logged, z2.logged());
        assertEquals(keysAndStamps(buckets), keysAndStamps(z2.read(Namespace::syncBuckets)));
    }

    @Test
    void syncBucketsListsBucketsAndDeletedBucketsTombstones() {
        Site z1 = zone("z1");
        z1.run(ns -> ns.createBucket("gone", ONE_COPY, 1000));
        z1.run(ns -> ns.createBucket("kept", ONE_COPY, 2000));
        z1.run(ns -> ns.deleteBucket("gone"));

        List<SyncEntry> buckets = z1.read(Namespace::syncBuckets);

        assertEquals(List.of(CREATE_BUCKET, DELETE_BUCKET), kinds(buckets));
        assertEquals(List.of("kept", "gone"), buckets.stream().map(SyncEntry::bucket).toList());
        assertEquals(z1.last("kept", "").stamp(), buckets.get(0).stamp());
        assertEquals(z1.last("gone", "").stamp(), buckets.get(1).stamp());
        assertEquals(z1.read(ns -> ns.getBucket("kept")), NamespaceSchema.decode(ModelCodec.BUCKET, buckets.get(0).payload()));
    }

    // ---- trimming

    @Test
    void aTrimmedLogSendsReadersBehindItToFullSync() {
        Site z1 = zoneWithBucket("z1");
        int shard = SyncEntry.shardOf("b", "k");
        for (int i = 0; i < 5; i++) {
            long mtime = 2000 + i;
            z1.run(ns -> ns.putObject("b", "k", small("v" + mtime, mtime), null));
        }
        long head = z1.page(shard, 0).head();
        z1.run(ns -> ns.trimSyncLog(consumedOnly(shard, head - 2), Long.MAX_VALUE));

        SyncLogPage behind = z1.page(shard, head - 3);
        assertTrue(behind.trimmed());
        assertEquals(List.of(), behind.entries());
        assertEquals(head, behind.head());
        assertTrue(z1.page(shard, 0).trimmed());
        SyncLogPage atTrim = z1.page(shard, head - 2);
        assertFalse(atTrim.trimmed());
        assertEquals(List.of(head - 1, head), atTrim.entries().stream().map(SyncEntry::seq).toList());
    }

    @Test
    void aShardKeepsAtMostTheBoundWhateverWasConsumed() {
        Site z1 = zoneWithBucket("z1");
        int shard = SyncEntry.shardOf("b", "k");
        for (int i = 0; i < 5; i++) {
            long mtime = 2000 + i;
            z1.run(ns -> ns.putObject("b", "k", small("v" + mtime, mtime), null));
        }
        long head = z1.page(shard, 0).head();
        z1.run(ns -> ns.trimSyncLog(new long[SyncEntry.SHARDS], 2));

        assertTrue(z1.page(shard, head - 3).trimmed());
        assertEquals(List.of(head - 1, head), z1.page(shard, head - 2).entries().stream().map(SyncEntry::seq).toList());
    }

    private static long[] consumedOnly(int shard, long through) {
        long[] consumed = new long[SyncEntry.SHARDS];
        consumed[shard] = through;
        return consumed;
    }

    @Test
    void trimmingPastTheHeadKeepsTheHead() {
        Site z1 = zoneWithBucket("z1");
        int shard = SyncEntry.shardOf("b", "k");
        z1.run(ns -> ns.putObject("b", "k", small("one", 2000), null));
        long head = z1.page(shard, 0).head();

        z1.run(ns -> ns.trimSyncLog(consumedOnly(shard, head + 10), Long.MAX_VALUE));
        assertEquals(new SyncLogPage(List.of(), head, false), z1.page(shard, head));
        z1.run(ns -> ns.putObject("b", "k", small("two", 3000), null));

        assertEquals(List.of(head + 1), z1.page(shard, head).entries().stream().map(SyncEntry::seq).toList());
    }

    // ---- the agent's cursors

    @Test
    void cursorsAreEmptyUntilSaved() {
        Site z1 = zone("z1");
        assertEquals(0, z1.read(ns -> ns.syncCursors("z2")).length);
        long[] cursors = new long[SyncEntry.SHARDS];
        Arrays.setAll(cursors, i -> i * 10L);

        z1.run(ns -> ns.saveSyncCursors("z2", cursors));

        assertArrayEquals(cursors, z1.read(ns -> ns.syncCursors("z2")));
        assertEquals(0, z1.read(ns -> ns.syncCursors("z3")).length);
    }

    @Test
    void cursorsNeedOnePerShard() {
        Site z1 = zone("z1");
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> z1.run(ns -> ns.saveSyncCursors("z2", new long[SyncEntry.SHARDS - 1])));
        assertEquals(0, z1.read(ns -> ns.syncCursors("z2")).length);
    }

    @Test
    void parkedChangesAreKeptPerPeerUntilReplaced() {
        Site z1 = zone("z1");
        SyncEntry entry = new SyncEntry(3, 7, DELETE_BUCKET, "b", "", new ZoneStamp(hlc(1000, 0), "z2"), List.of("z2"), 0, "", false,
                new byte[0]);
        List<ParkedChange> parked = List.of(new ParkedChange(entry, "BUCKET_NOT_EMPTY: bucket b is not empty", 1234));
        assertEquals(List.of(), z1.read(ns -> ns.parkedChanges("z2")));

        z1.run(ns -> ns.saveParkedChanges("z2", parked));
        List<ParkedChange> read = z1.read(ns -> ns.parkedChanges("z2"));
        assertEquals(1, read.size());
        assertEquals(parked.getFirst().error(), read.getFirst().error());
        assertEquals(entry.stamp(), read.getFirst().entry().stamp());
        assertEquals(List.of(), z1.read(ns -> ns.parkedChanges("z3")));

        z1.run(ns -> ns.saveParkedChanges("z2", List.of()));
        assertEquals(List.of(), z1.read(ns -> ns.parkedChanges("z2")));
    }

    // ---- helpers

    // ---- users and access keys

    @Test
    void identityChangesAreLoggedInOneShardAndAppliedWithTheSecretSealedHere() {
        Site z1 = zone("z1");
        Site z2 = zone("z2");
        z1.run(ns -> ns.putUser(new UserAccount("alice", true, false, List.of("{\"Statement\":[]}"), 1000), true));
        z1.run(ns -> ns.addAccessKey(AccessKeyRecord.create("AKIAALICE", "alice", new byte[] {1, 1}, "secret-of-alice", 1000, 0)));
        List<SyncEntry> log = z1.log(SyncEntry.IDENTITY_SHARD);
        assertEquals(List.of(Kind.USER, Kind.ACCESS_KEY), kinds(log));
        assertEquals(List.of("", ""), log.stream().map(SyncEntry::bucket).toList());

        // the agent sealed the secret to z2's cluster key: z2 stores that, and logs it for a third zone
        assertThrows(MooseException.class, () -> z2.apply(ns -> ns.applyRemoteIdentity(log.get(1), new byte[] {2, 2})),
                "a key before its user is refused (and parked by the agent)");
        assertTrue(z2.apply(ns -> ns.applyRemoteIdentity(log.get(0), null)).applied());
        assertTrue(z2.apply(ns -> ns.applyRemoteIdentity(log.get(1), new byte[] {2, 2})).applied());
        assertFalse(z2.apply(ns -> ns.applyRemoteIdentity(log.get(1), new byte[] {2, 2})).applied(), "applied once");
        AccessKeyRecord k = key(z2, "AKIAALICE");
        assertArrayEquals(new byte[] {2, 2}, k.sealedSecret());
        assertTrue(k.verifies("secret-of-alice"));
        assertEquals(List.of("{\"Statement\":[]}"), z2.read(ns -> ns.identities(-1)).users().stream()
                .filter(u -> u.name().equals("alice")).findFirst().orElseThrow().policies());
        SyncEntry relogged = z2.log(SyncEntry.IDENTITY_SHARD).getLast();
        assertEquals(List.of("z1", "z2"), relogged.seen());
        assertArrayEquals(new byte[] {2, 2}, NamespaceSchema.decode(ModelCodec.ACCESS_KEY, relogged.payload()).sealedSecret());
    }

    @Test
    void identityChangesAreLastWriterWins() {
        Site z1 = zone("z1");
        Site z2 = zone("z2");
        z1.run(ns -> ns.putUser(new UserAccount("bob", true, false, List.of(), 1000), true));
        z1.run(ns -> ns.addAccessKey(AccessKeyRecord.create("AKIABOB", "bob", new byte[] {1}, "secret-of-bob", 1000, 0)));
        z1.log(SyncEntry.IDENTITY_SHARD).forEach(e -> z2.apply(ns -> ns.applyRemoteIdentity(e, new byte[] {9})));

        // both change the key without seeing the other's change: the later stamp wins everywhere
        z1.run(ns -> ns.setAccessKeyEnabled("AKIABOB", false));
        SyncEntry disabled = z1.log(SyncEntry.IDENTITY_SHARD).getLast();
        z2.run(ns -> ns.setAccessKeyEnabled("AKIABOB", true));
        SyncEntry enabled = z2.log(SyncEntry.IDENTITY_SHARD).getLast();
        assertTrue(enabled.stamp().after(disabled.stamp()));
        assertFalse(z2.apply(ns -> ns.applyRemoteIdentity(disabled, null)).applied());
        // an enable or disable needs no secret where the key is held with the same one
        assertTrue(z1.apply(ns -> ns.applyRemoteIdentity(enabled, null)).applied());
        assertTrue(key(z1, "AKIABOB").enabled());
        assertArrayEquals(new byte[] {1}, key(z1, "AKIABOB").sealedSecret(), "z1 keeps its own sealed secret");

        z2.run(ns -> ns.setAccessKeyEnabled("AKIABOB", false));
        SyncEntry late = z2.log(SyncEntry.IDENTITY_SHARD).getLast();
        z2.run(ns -> ns.removeUser("bob"));
        SyncEntry removed = z2.log(SyncEntry.IDENTITY_SHARD).getLast();
        assertEquals(Kind.DELETE_USER, removed.kind());
        assertTrue(z1.apply(ns -> ns.applyRemoteIdentity(removed, null)).applied());
        assertTrue(z1.read(ns -> ns.identities(-1)).keys().isEmpty(), "a removed user's keys go with it");
        assertFalse(z1.apply(ns -> ns.applyRemoteIdentity(late, null)).applied(), "a key change older than its user's removal, late");
        assertFalse(z1.apply(ns -> ns.applyRemoteIdentity(z1.read(Namespace::syncIdentities).stream()
                .filter(e -> e.kind() == Kind.DELETE_USER).findFirst().orElseThrow(), null)).applied());
    }

    @Test
    void aKeyWithoutItsSecretIsRefusedWhereItIsNew() {
        Site z1 = zone("z1");
        Site z2 = zone("z2");
        z1.run(ns -> ns.putUser(new UserAccount("carol", true, false, List.of(), 1000), true));
        z1.run(ns -> ns.addAccessKey(AccessKeyRecord.create("AKIACAROL", "carol", new byte[] {1}, "secret-of-carol", 1000, 0)));
        List<SyncEntry> log = z1.log(SyncEntry.IDENTITY_SHARD);
        z2.apply(ns -> ns.applyRemoteIdentity(log.get(0), null));
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> z2.apply(ns -> ns.applyRemoteIdentity(log.get(1), null)));
        assertTrue(z2.read(ns -> ns.identities(-1)).keys().isEmpty());
    }

    @Test
    void aFullSyncListsUsersBeforeKeysAndRemovedOnes() {
        Site z1 = site("z1");
        z1.run(ns -> ns.putUser(new UserAccount("dave", true, false, List.of(), 500), true));   // before the zonegroup
        z1.apply(ns -> ns.configureZone("z1", GROUP));
        z1.run(ns -> ns.addAccessKey(AccessKeyRecord.create("AKIADAVE", "dave", new byte[] {1}, "secret-of-dave", 1000, 0)));
        z1.run(ns -> ns.addAccessKey(AccessKeyRecord.create("AKIAGONE", "dave", new byte[] {1}, "secret-gone", 1000, 0)));
        z1.run(ns -> ns.revokeAccessKey("AKIAGONE"));
        List<SyncEntry> listing = z1.read(Namespace::syncIdentities);
        assertEquals(List.of(Kind.USER, Kind.ACCESS_KEY, Kind.DELETE_ACCESS_KEY), kinds(listing));
        assertEquals(ZoneStamp.unzoned(500), listing.getFirst().stamp(), "a user from before the zonegroup: its creation time");

        Site z2 = zone("z2");
        listing.forEach(e -> z2.apply(ns -> ns.applyRemoteIdentity(e, new byte[] {7})));
        assertEquals(List.of("AKIADAVE"), z2.read(ns -> ns.identities(-1)).keys().stream().map(AccessKeyRecord::accessKey).toList());
    }

    private static AccessKeyRecord key(Site s, String accessKey) {
        return s.read(ns -> ns.identities(-1)).keys().stream().filter(k -> k.accessKey().equals(accessKey)).findFirst().orElseThrow();
    }

    // ---- object tags

    @Test
    void aPutCarriesTheObjectsTagsAndATagChangeIsLoggedRestamped() {
        Site z1 = zoneWithBucket("z1");
        z1.run(ns -> ns.putObject("b", "k", small("hello", 2000), null));
        SyncEntry put = z1.last("b", "k");
        assertEquals(Map.of(), put.tags());
        ObjectManifest m = z1.object("b", "k");
        long inode = z1.read(ns -> ns.getObject("b", "k")).inode();
        z1.run(ns -> ns.replaceManifest("b", "k", inode, m.withAttributes(m.mtimeMillis(), m.properties().withTags(Map.of("replicate", "yes")),
                m.posix())));
        SyncEntry tagged = z1.last("b", "k");
        assertEquals(PUT_OBJECT, tagged.kind());
        assertEquals(Map.of("replicate", "yes"), tagged.tags());
        assertTrue(tagged.stamp().after(put.stamp()));
        assertEquals(tagged.stamp(), z1.object("b", "k").stamp());
        assertEquals(Map.of("replicate", "yes"), z1.read(ns -> ns.syncListing("b", null, 10)).getFirst().tags());

        // the same manifest again (a re-coding keeps tags): nothing logged
        long before = z1.logged();
        ObjectManifest now = z1.object("b", "k");
        z1.run(ns -> ns.replaceManifest("b", "k", inode, now));
        assertEquals(before, z1.logged());

        // the tags survive the log's codec, and a peer re-logs them
        Site z2 = peerOf(z1);
        assertTrue(z2.applyRemote(tagged, null).applied());
        assertEquals(Map.of("replicate", "yes"), z2.last("b", "k").tags());
    }

    @Test
    void anEntrysTagsAndVersionIdTravelInTheCodecAndItsSecretNever() {
        SyncEntry e = new SyncEntry(3, 7, PUT_OBJECT, "b", "k", new ZoneStamp(hlc(1000, 0), "z1"), List.of("z1"), 5, "etag", false,
                new byte[] {1}, Map.of("a", "1", "b", ""), "not-stored", VersionIds.of(42));
        SyncEntry read = NamespaceSchema.decode(ModelCodec.SYNC_ENTRY, NamespaceSchema.encode(ModelCodec.SYNC_ENTRY, e));
        assertEquals(e.tags(), read.tags());
        assertEquals(e.versionId(), read.versionId());
        assertNull(read.secret());
        assertEquals(List.of(e.kind(), e.bucket(), e.key(), e.stamp(), e.seen(), e.size(), e.etag()),
                List.of(read.kind(), read.bucket(), read.key(), read.stamp(), read.seen(), read.size(), read.etag()));
        SyncEntry untagged = new SyncEntry(3, 8, Kind.DELETE_USER, "", "alice", e.stamp(), List.of("z1"), 0, "", false, new byte[0]);
        SyncEntry readUntagged = NamespaceSchema.decode(ModelCodec.SYNC_ENTRY, NamespaceSchema.encode(ModelCodec.SYNC_ENTRY, untagged));
        assertEquals(Kind.DELETE_USER, readUntagged.kind());
        assertNull(readUntagged.versionId());
        assertFalse(e.toString().contains("not-stored"), "no secret in logs");
    }

    /** A store of its own, in no zonegroup. */
    private Site site(String name) {
        Site s = new Site(dir.resolve(name), name, 0);
        sites.add(s);
        return s;
    }

    /** A store that is zone {@code name} of {@link #GROUP}. */
    private Site zone(String name) {
        Site s = site(name);
        s.apply(ns -> ns.configureZone(name, GROUP));
        return s;
    }

    /** Zone {@code name} with bucket "b", created at 1000. */
    private Site zoneWithBucket(String name) {
        Site s = zone(name);
        s.run(ns -> ns.createBucket("b", ONE_COPY, 1000));
        return s;
    }

    /** Zone z1 whose bucket "b" was created (at 1000) before it joined the zonegroup. */
    private Site bucketBeforeZone() {
        Site s = site("z1");
        s.run(ns -> ns.createBucket("b", ONE_COPY, 1000));
        s.apply(ns -> ns.configureZone("z1", GROUP));
        return s;
    }

    /** Zone z2, which has applied z1's bucket "b". */
    private Site peerOf(Site z1) {
        Site z2 = zone("z2");
        assertTrue(z2.applyRemote(z1.last("b", ""), null).applied());
        return z2;
    }

    private static Zonegroup group(long epoch, String z1Endpoint) {
        return new Zonegroup("g", epoch, List.of(new Zonegroup.Zone("z1", List.of(z1Endpoint)),
                new Zonegroup.Zone("z2", List.of("http://z2"))), "sync-key");
    }

    /** A small object holding {@code text}, with its MD5 as ETag. */
    private static ObjectManifest small(String text, long mtime) {
        byte[] data = utf8(text);
        return new ObjectManifest(data.length, ETags.md5Hex(data), mtime, PROPS, ONE_COPY, List.of(), data);
    }

    /** {@code text} as a zone stores it after fetching it from a peer: content only, no attributes. */
    private static ObjectManifest content(String text) {
        byte[] data = utf8(text);
        return new ObjectManifest(data.length, ETags.md5Hex(data), 0, ObjectProperties.EMPTY, ONE_COPY, List.of(), data);
    }

    /**
     * Runs {@code change} and checks it appended exactly one entry of {@code kind}, the next in
     * the key's shard and seen by this zone only.
     */
    private static SyncEntry logsOne(Site site, Kind kind, String bucket, String key, Consumer<Namespace> change) {
        int shard = SyncEntry.shardOf(bucket, key);
        long[] expected = site.heads();
        expected[shard]++;
        site.run(change);
        assertArrayEquals(expected, site.heads(), kind + " appends one entry to shard " + shard);
        SyncEntry e = site.last(bucket, key);
        assertEquals(List.of(kind, shard, expected[shard], bucket, key, List.of(site.name)),
                List.of(e.kind(), e.shard(), e.seq(), e.bucket(), e.key(), e.seen()));
        return e;
    }

    /** The entry carries the stored version's stamp, size and ETag. */
    private static void assertIsStoredVersion(Site site, SyncEntry put) {
        ObjectManifest stored = site.object(put.bucket(), put.key());
        assertEquals(new ZoneStamp(put.stamp().hlc(), site.name), stored.stamp());
        assertEquals(stored.stamp(), put.stamp());
        assertEquals(stored.size(), put.size());
        assertEquals(stored.etag(), put.etag());
    }

    /** Puts "b"/{@code key} at {@code mtime}; the stamp it got (the same in the log and on the version). */
    private static ZoneStamp putStamp(Site site, String key, long mtime) {
        site.run(ns -> ns.putObject("b", key, small("x", mtime), null));
        ZoneStamp stamp = site.object("b", key).stamp();
        assertEquals(stamp, site.last("b", key).stamp());
        return stamp;
    }

    /** Every key of bucket "b"'s full-sync listing, read in pages of {@code limit}. */
    private static List<String> pagedKeys(Site site, int limit) {
        List<String> out = new ArrayList<>();
        String after = null;
        while (true) {
            List<SyncEntry> page = site.listing(after, limit);
            assertTrue(page.size() <= limit);
            if (page.isEmpty()) {
                return out;
            }
            out.addAll(keys(page));
            after = page.getLast().key();
        }
    }

    private static List<String> keys(List<SyncEntry> entries) {
        return entries.stream().map(SyncEntry::key).toList();
    }

    private static List<Kind> kinds(List<SyncEntry> entries) {
        return entries.stream().map(SyncEntry::kind).toList();
    }

    /** Entries as "KIND key-or-bucket stamp", to compare whole listings. */
    private static List<String> keysAndStamps(List<SyncEntry> entries) {
        return entries.stream().map(e -> e.kind() + " " + (e.key().isEmpty() ? e.bucket() : e.key()) + " " + e.stamp()).toList();
    }

    private static long hlc(long millis, int counter) {
        return HybridLogicalClock.timestamp(millis, counter);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertFails(ErrorCode code, Executable action) {
        assertEquals(code, assertThrows(MooseException.class, action).code());
    }

    /** One zone's store, applying each command as its own log entry. */
    private final class Site implements AutoCloseable {
        private final Path path;
        private final String name;
        private final NamespaceStore store;
        private long index;

        Site(Path path, String name, long index) {
            this.path = path;
            this.name = name;
            this.store = NamespaceStore.open(path);
            this.index = index;
        }

        <T> T apply(Function<Namespace, T> command) {
            return store.apply(new LogPosition(1, ++index), tx -> tx.atomically(command));
        }

        void run(Consumer<Namespace> command) {
            apply(ns -> {
                command.accept(ns);
                return null;
            });
        }

        <T> T read(Function<Namespace, T> query) {
            return store.read(query);
        }

        RemoteApplied applyRemote(SyncEntry entry, ObjectManifest content) {
            return apply(ns -> ns.applyRemote(entry, content));
        }

        ObjectManifest object(String bucket, String key) {
            return read(ns -> ns.getObject(bucket, key)).manifest();
        }

        SyncLogPage page(int shard, long after) {
            return read(ns -> ns.readSyncLog(shard, after, 1000));
        }

        List<SyncEntry> log(int shard) {
            return page(shard, 0).entries();
        }

        /** The key's (with key "" the bucket's) latest entry in this zone's log. */
        SyncEntry last(String bucket, String key) {
            List<SyncEntry> entries = log(SyncEntry.shardOf(bucket, key));
            for (SyncEntry e : entries.reversed()) {
                if (e.bucket().equals(bucket) && e.key().equals(key)) {
                    return e;
                }
            }
            throw new AssertionError("nothing logged for " + bucket + "/" + key);
        }

        long[] heads() {
            long[] heads = new long[SyncEntry.SHARDS];
            Arrays.setAll(heads, shard -> page(shard, Long.MAX_VALUE - 1).head());
            return heads;
        }

        long logged() {
            return Arrays.stream(heads()).sum();
        }

        List<SyncEntry> listing(String afterKey, int limit) {
            return read(ns -> ns.syncListing("b", afterKey, limit));
        }

        /** This store closed and opened again, continuing the log positions. */
        Site reopen() {
            close();
            Site s = new Site(path, name, index);
            sites.add(s);
            return s;
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
