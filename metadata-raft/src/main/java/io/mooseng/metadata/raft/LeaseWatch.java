package io.mooseng.metadata.raft;

import io.mooseng.core.model.LeasedDirectory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * What the leader keeps in memory about lease holders: when it last heard from each (every
 * request of a holder counts; a mount asks for changes every 50 ms) and which of their leases
 * others wait for. Per term, like {@link NodeReports}: a new leader counts every holder as
 * heard from at the start of its term, so no holder loses its leases to a failover.
 */
final class LeaseWatch {
    private record Term(long term, long sinceMillis, Map<UUID, Long> heard, Map<UUID, Set<LeasedDirectory>> recalls) {
        Term(long term, long sinceMillis) {
            this(term, sinceMillis, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }
    }

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

    /** The holder's leases others wait for. */
    List<LeasedDirectory> recalls(UUID holder) {
        Set<LeasedDirectory> dirs = term().recalls().get(holder);
        return dirs == null ? List.of() : List.copyOf(dirs);
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
