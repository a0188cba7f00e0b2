package io.mooseng.metadata.raft;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.LeasedDirectory;
import io.mooseng.core.model.MountInfo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What the leader keeps in memory about lease holders: when it last heard from each (every
 * request of a holder counts; a mount asks for changes every 50 ms), which of their leases
 * others wait for, and the mounts they describe themselves as (status views). Per term, like
 * {@link NodeReports}: a new leader counts every holder as heard from at the start of its
 * term, so no holder loses its leases to a failover; mounts describe themselves again within
 * their report interval.
 */
final class LeaseWatch {
    private record Term(long term, long sinceMillis, Map<UUID, Long> heard, Map<UUID, Set<LeasedDirectory>> recalls,
                        Map<UUID, MountInfo> mounts) {
        Term(long term, long sinceMillis) {
            this(term, sinceMillis, new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }
    }

    static final int MAX_MOUNTS = 100_000;
    static final int MAX_MOUNT_FIELD_CHARS = 4096;

    private final LongSupplier currentTerm;
    private final LongSupplier clock;
    private final AtomicReference<Term> current = new AtomicReference<>(new Term(-1, 0));

    LeaseWatch(LongSupplier currentTerm, LongSupplier clock) {
        this.currentTerm = currentTerm;
        this.clock = clock;
    }

    void heardFrom(UUID holder) {
        term().heard().put(holder, clock.getAsLong());
    }

    /** Another client waits for {@code dir}: its holder is told on its next question. */
    void recall(UUID holder, LeasedDirectory dir) {
        term().recalls().computeIfAbsent(holder, h -> ConcurrentHashMap.newKeySet()).add(dir);
    }

    /**
     * The holder's leases others wait for, of those it still holds ({@code held}, in the state
     * the holder's question reads): a read that met the lease just before its release was
     * applied records its recall after the release cleared the others; it is dropped here.
     */
    List<LeasedDirectory> recalls(UUID holder, Predicate<LeasedDirectory> held) {
        Set<LeasedDirectory> dirs = term().recalls().get(holder);
        if (dirs == null) {
            return List.of();
        }
        dirs.removeIf(held.negate());
        return List.copyOf(dirs);
    }

    void released(UUID holder, LeasedDirectory dir) {
        Set<LeasedDirectory> dirs = term().recalls().get(holder);
        if (dirs != null) {
            dirs.remove(dir);
        }
    }

    void expired(UUID holder) {
        Term t = term();
        t.recalls().remove(holder);
        t.heard().remove(holder);
    }

    /**
     * A holder's mount describes itself (again). Bounded: any process may send it, under a
     * holder id of its choice, and it stays in the leader's memory until forgotten.
     */
    void mount(UUID holder, MountInfo info) {
        if (Stream.of(info.id(), info.host(), info.mountPoint(), info.version()).anyMatch(f -> f.length() > MAX_MOUNT_FIELD_CHARS)) {
            throw new MooseException(ErrorCode.INVALID_ARGUMENT, "a mount's id, host, mount point and version are at most "
                    + MAX_MOUNT_FIELD_CHARS + " characters");
        }
        Map<UUID, MountInfo> mounts = term().mounts();
        if (mounts.size() >= MAX_MOUNTS && !mounts.containsKey(holder)) {
            throw new MooseException(ErrorCode.SLOW_DOWN, "the leader knows " + MAX_MOUNTS + " mounts already; a silent one is forgotten"
                    + " after a minute");
        }
        mounts.put(holder, info.withLastSeen(clock.getAsLong()));
    }

    /** A holder's mount is gone. */
    void unmounted(UUID holder) {
        term().mounts().remove(holder);
    }

    /**
     * The mounts described in this term, each seen when its holder was last heard from; one
     * not heard from for {@code forgetAfterMillis} is forgotten (it crashed without saying goodbye).
     */
    List<MountInfo> mounts(long forgetAfterMillis) {
        Term t = term();
        long now = clock.getAsLong();
        List<MountInfo> out = new ArrayList<>();
        for (Map.Entry<UUID, MountInfo> e : t.mounts().entrySet()) {
            long seen = Math.max(e.getValue().lastSeenMillis(), t.heard().getOrDefault(e.getKey(), 0L));
            if (now - seen > forgetAfterMillis) {
                t.mounts().remove(e.getKey(), e.getValue());
            } else {
                out.add(e.getValue().withLastSeen(seen));
            }
        }
        out.sort(Comparator.comparing(MountInfo::id));
        return out;
    }

    /** Those of {@code holders} not heard from for {@code ttlMillis}. */
    List<UUID> silent(Collection<UUID> holders, long ttlMillis) {
        Term t = term();
        long now = clock.getAsLong();
        List<UUID> out = new ArrayList<>();
        for (UUID h : holders) {
            if (now - t.heard().getOrDefault(h, t.sinceMillis()) > ttlMillis) {
                out.add(h);
            }
        }
        return out;
    }

    private Term term() {
        long term = currentTerm.getAsLong();
        Term t = current.get();
        while (t.term() != term) {
            Term fresh = new Term(term, clock.getAsLong());
            if (current.compareAndSet(t, fresh)) {
                return fresh;
            }
            t = current.get();
        }
        return t;
    }
}
