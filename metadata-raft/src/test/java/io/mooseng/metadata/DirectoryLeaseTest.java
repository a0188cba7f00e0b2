package io.mooseng.metadata;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.metadata.DirectoryLeases;
import io.mooseng.core.model.LeasedDirectory;
import io.mooseng.core.model.NamespaceChanges;
import io.mooseng.core.model.NamespaceEntry;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.PosixAttributes;
import io.mooseng.core.model.StorageClass;
import io.mooseng.metadata.client.RaftMetadataService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mooseng.metadata.Fixtures.assertFails;
import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Directory leases through a real Raft group: exclusion, recall, expiry of a silent holder, reserved inodes, ordered writes. */
@Timeout(60)
class DirectoryLeaseTest extends SingleMasterTest {
    private static final StorageClass ONE = StorageClass.replicated(1);
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static String bucketWith(String... dirs) {
        String name = "leases-" + BUCKETS.incrementAndGet();
        join(meta.createBucket(name, ONE, 1));
        for (String d : dirs) {
            join(meta.createEntry(name, key(d + "/"), entry(PosixAttributes.S_IFDIR | 0755), 0));
        }
        return name;
    }

    private static ObjectManifest entry(int mode) {
        return new ObjectManifest(0, "d41d8cd98f00b204e9800998ecf8427e", 10, ObjectProperties.EMPTY, ONE, List.of(), new byte[0], false,
                new PosixAttributes(mode, 1000, 1000, 1, 10, 0));
    }

    private static ObjectManifest file() {
        return entry(PosixAttributes.S_IFREG | 0644);
    }

    /** Asks for changes as the holder's mount does, until one asks it to give {@code dir} back. */
    private static void awaitRecall(RaftMetadataService holder, LeasedDirectory dir) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (join(holder.changesSince(-1, 10)).recalls().contains(dir)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no recall of " + dir);
    }

    @Test
    void othersWaitForALeasedDirectoryUntilItsHolderGivesItBack() throws Exception {
        String b = bucketWith("work");
        RaftMetadataService mount = group.cluster().holderClient();
        join(mount.acquireLease(b, key("work")));
        join(mount.createEntry(b, key("work/f"), file(), 0));

        // another client's read and write in the leased directory wait, and the holder is asked for it
        CompletableFuture<NamespaceEntry> lookup = meta.lookup(b, key("work/f"));
        CompletableFuture<ObjectInfo> create = meta.createEntry(b, key("work/g"), file(), 0);
        awaitRecall(mount, new LeasedDirectory(b, "work"));
        assertFalse(lookup.isDone() || create.isDone(), "nothing reaches a leased directory");
        // elsewhere in the bucket nothing waits, nor does background work, which takes the namespace as committed
        join(meta.createEntry(b, key("elsewhere"), file(), 0));
        RaftMetadataService background = RaftMetadataService.connectBackground(group.cluster().addresses(), RaftMetadataService.LocalReads.NONE);
        try {
            assertEquals("f", join(background.lookup(b, key("work/f"))).name());
        } finally {
            background.close();
        }

        join(mount.createEntry(b, key("work/last"), file(), 0));
        join(mount.releaseLease(b, key("work")));
        assertEquals("f", join(lookup).name());
        join(create);
        assertEquals(List.of(), join(mount.changesSince(-1, 10)).recalls());
        // the holder's own requests never waited for its lease
        assertEquals(3, join(meta.readDirectory(b, key("work"), null, 10)).size());
    }

    @Test
    void noTwoHoldersLeaseDirectoriesOneUnderTheOther() {
        String b = bucketWith("x", "x/y", "z", "xy");
        RaftMetadataService first = group.cluster().holderClient();
        RaftMetadataService second = group.cluster().holderClient();
        join(first.acquireLease(b, key("x")));
        assertFails(ErrorCode.LEASE_CONFLICT, second.acquireLease(b, key("x")));
        assertFails(ErrorCode.LEASE_CONFLICT, second.acquireLease(b, key("x/y")));
        assertFails(ErrorCode.LEASE_CONFLICT, second.acquireLease(b, null));
        join(second.acquireLease(b, key("z")));
        // a name that only starts like the leased one is another directory
        join(second.acquireLease(b, key("xy")));
        // a holder may lease inside its own lease; a lease needs a directory and a holder
        join(first.acquireLease(b, key("x/y")));
        assertFails(ErrorCode.NO_SUCH_KEY, first.acquireLease(b, key("missing")));
        assertFails(ErrorCode.INVALID_ARGUMENT, meta.acquireLease(b, key("z")));
        // an acquisition that gave way asks nobody for anything
        assertEquals(List.of(), join(first.changesSince(-1, 10)).recalls());
        join(first.releaseLease(b, key("x")));
        join(first.releaseLease(b, key("x/y")));
        join(second.acquireLease(b, key("x/y")));
    }

    @Test
    void aSilentHolderLosesItsLeasesAndIsRefusedUntilItLearnsSo() throws Exception {
        String b = bucketWith("s");
        RaftMetadataService mount = group.cluster().holderClient();
        join(mount.acquireLease(b, key("s")));
        // a holder that keeps asking is never silent
        long until = System.nanoTime() + DirectoryLeases.TTL.toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
        while (System.nanoTime() < until) {
            join(mount.changesSince(-1, 1));
            Thread.sleep(100);
        }
        assertFalse(join(meta.silentLeaseHolders()).contains(mount.leaseHolder()));

        Thread.sleep(DirectoryLeases.TTL.toMillis() + 500);
        assertTrue(join(meta.silentLeaseHolders()).contains(mount.leaseHolder()));
        join(meta.expireLeases(mount.leaseHolder()));
        join(meta.createEntry(b, key("s/other"), file(), 0));

        assertFails(ErrorCode.LEASE_REVOKED, mount.createEntry(b, key("s/late"), file(), 0));
        NamespaceChanges c = join(mount.changesSince(-1, 1));
        assertEquals(1, c.fence());
        mount.adoptLeaseFence(c.fence());
        join(mount.createEntry(b, key("s/late"), file(), 0));
    }

    @Test
    void reservedInodesNameTheEntriesCreatedWithThem() {
        String b = bucketWith("r");
        RaftMetadataService mount = group.cluster().holderClient();
        long first = join(mount.reserveInodes(100));
        assertEquals(first, join(mount.createEntry(b, key("r/a"), file(), first)).inode());
        assertEquals(first + 1, join(mount.createEntry(b, key("r/d/"), entry(PosixAttributes.S_IFDIR | 0700), first + 1)).inode());
        assertFails(ErrorCode.INVALID_ARGUMENT, mount.createEntry(b, key("r/b"), file(), first));
        assertFails(ErrorCode.INVALID_ARGUMENT, mount.createEntry(b, key("r/c"), file(), first + (1L << 40)));
        assertFails(ErrorCode.INVALID_ARGUMENT, mount.reserveInodes(100_000));
        // reservations never overlap, nor the ids of other creates
        long second = join(mount.reserveInodes(100));
        assertTrue(second >= first + 100);
        assertTrue(join(meta.createEntry(b, key("r/e"), file(), 0)).inode() >= second + 100);
    }

    @Test
    void commandsSentWithoutWaitingAreCommittedInTheirOrder() {
        String b = bucketWith("o");
        RaftMetadataService mount = group.cluster().holderClient();
        join(mount.acquireLease(b, key("o")));
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            // each create must precede its unlink and the next create of the same name
            sent.add(mount.createEntry(b, key("o/f"), file(), 0));
            sent.add(mount.unlink(b, key("o/f"), false, 20));
        }
        sent.add(mount.createEntry(b, key("o/f"), file(), 0));
        sent.forEach(Fixtures::join);
        join(mount.releaseLease(b, key("o")));
        assertEquals(List.of("f"), join(meta.readDirectory(b, key("o"), null, 10)).stream().map(NamespaceEntry::name).toList());
    }
}
