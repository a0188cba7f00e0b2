package io.mooseng.metadata.raft;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.LeasedDirectory;
import io.mooseng.core.model.MountInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The mounts the leader knows: seen with each request of their holder, forgotten when gone or silent, per term. */
class LeaseWatchTest {
    private static final long FORGET = 60_000;
    private final AtomicLong term = new AtomicLong(2);
    private final AtomicLong clock = new AtomicLong(10_000);
    private final LeaseWatch watch = new LeaseWatch(term::get, clock::get);
    private final UUID a = new UUID(0, 1);
    private final UUID b = new UUID(0, 2);

    private static MountInfo mount(UUID holder, String point) {
        return new MountInfo(holder.toString(), "host1", point, "0.1.0", 5_000, 0);
    }

    @Test
    void aMountIsSeenWhenItsHolderWasLastHeardFrom() {
        watch.mount(b, mount(b, "/mnt/b"));
        watch.mount(a, mount(a, "/mnt/a"));
        clock.set(12_000);
        watch.heardFrom(a); // its change poll
        clock.set(13_000);
        assertEquals(List.of(mount(a, "/mnt/a").withLastSeen(12_000), mount(b, "/mnt/b").withLastSeen(10_000)), watch.mounts(FORGET),
                "by id, each at the later of its report and its last request");
    }

    @Test
    void anUnmountIsForgottenAtOnceAndASilentMountAfterTheBound() {
        watch.mount(a, mount(a, "/mnt/a"));
        watch.mount(b, mount(b, "/mnt/b"));
        watch.unmounted(a);
        assertEquals(List.of(mount(b, "/mnt/b").withLastSeen(10_000)), watch.mounts(FORGET));
        clock.set(10_000 + FORGET);
        assertEquals(1, watch.mounts(FORGET).size(), "silent for exactly the bound: still shown");
        clock.set(10_001 + FORGET);
        assertEquals(List.of(), watch.mounts(FORGET));
        watch.heardFrom(b);
        assertEquals(List.of(), watch.mounts(FORGET), "a forgotten mount shows again only with its next report");
        watch.mount(b, mount(b, "/mnt/b"));
        assertEquals(1, watch.mounts(FORGET).size());
    }

    @Test
    void aNewLeaderKnowsTheMountsFromTheirNextReports() {
        watch.mount(a, mount(a, "/mnt/a"));
        term.set(3);
        assertEquals(List.of(), watch.mounts(FORGET));
        watch.mount(a, mount(a, "/mnt/a"));
        assertEquals(List.of(mount(a, "/mnt/a").withLastSeen(10_000)), watch.mounts(FORGET));
    }

    @Test
    void aReportWithAnOversizedFieldIsRefused() {
        MountInfo huge = new MountInfo(a.toString(), "h".repeat(LeaseWatch.MAX_MOUNT_FIELD_CHARS + 1), "/mnt", "0.1.0", 0, 0);
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(MooseException.class, () -> watch.mount(a, huge)).code());
        assertEquals(List.of(), watch.mounts(FORGET));
    }

    @Test
    void aRecallRecordedAfterTheReleaseIsNotReportedNorKept() {
        LeasedDirectory work = new LeasedDirectory("b", "work");
        LeasedDirectory other = new LeasedDirectory("b", "other");
        watch.recall(a, work);
        watch.released(a, work);
        // a read that met the lease before the release was applied records its recall late
        watch.recall(a, work);
        watch.recall(a, other);
        assertEquals(List.of(other), watch.recalls(a, other::equals), "only what the holder still leases");
        assertEquals(List.of(other), watch.recalls(a, d -> true), "the stale recall was dropped");
    }
}
