package io.mooseng.metadata.raft;

import io.mooseng.core.model.NamespaceChange;
import io.mooseng.core.model.NamespaceChanges;
import io.mooseng.metadata.command.MetadataCommand;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamespaceChangeLogTest {
    private static final UUID CLIENT = new UUID(1, 1);

    private static MetadataCommand<?> unlink(String key) {
        return new MetadataCommand.Unlink("b", key, false, 0);
    }

    private static List<Long> indexes(NamespaceChanges c) {
        return c.changes().stream().map(NamespaceChange::index).toList();
    }

    @Test
    void aCallerFromBeforeTheStartMissedChanges() {
        NamespaceChangeLog log = new NamespaceChangeLog(8, NamespaceChangeLog.MAX_BYTES);
        log.reset(100);
        assertTrue(log.since(99, 10, null).missed(99));
        log.applied(101, CLIENT, unlink("a"));
        log.advance(102);
        NamespaceChanges c = log.since(100, 10, null);
        assertFalse(c.missed(100));
        assertEquals(List.of(101L), indexes(c));
        assertEquals(102, c.last());
    }

    @Test
    void overwrittenChangesMoveTheHorizon() {
        NamespaceChangeLog log = new NamespaceChangeLog(4, NamespaceChangeLog.MAX_BYTES);
        log.reset(0);
        for (long i = 1; i <= 6; i++) {
            log.applied(i, CLIENT, unlink("k" + i));
            log.advance(i);
        }
        // 1 and 2 were overwritten: a caller that saw only up to 1 missed 2
        assertTrue(log.since(1, 10, null).missed(1));
        NamespaceChanges c = log.since(2, 10, null);
        assertFalse(c.missed(2));
        assertEquals(List.of(3L, 4L, 5L, 6L), indexes(c));
    }

    /** The ring wrapped several times, entries of several changes and entries of none: every cursor gets exactly what followed it. */
    @Test
    void everyCursorInAWrappedRingGetsWhatFollowsIt() {
        NamespaceChangeLog log = new NamespaceChangeLog(16, NamespaceChangeLog.MAX_BYTES);
        log.reset(0);
        List<Long> kept = new java.util.ArrayList<>();
        for (long i = 1; i <= 60; i++) {
            if (i % 5 == 0) {
                log.advance(i);   // an entry that changed nothing a mount shows
                continue;
            }
            int changes = i % 3 == 0 ? 2 : 1;
            log.applied(i, CLIENT, changes == 2 ? new MetadataCommand.Link("b", "x" + i, "y" + i, 0) : unlink("k" + i));
            log.advance(i);
            for (int c = 0; c < changes; c++) {
                kept.add(i);
            }
        }
        List<Long> inRing = kept.subList(kept.size() - 16, kept.size());
        for (long after = inRing.getFirst(); after <= 61; after++) {
            long cursor = after;
            NamespaceChanges c = log.since(cursor, 100, null);
            assertFalse(c.missed(cursor), "after " + cursor);
            assertEquals(inRing.stream().filter(i -> i > cursor).toList(), indexes(c), "after " + cursor);
        }
    }

    @Test
    void longKeysMoveTheHorizonBeforeTheRingIsFull() {
        // room for about three changes of 1,000-character keys
        NamespaceChangeLog log = new NamespaceChangeLog(1024, 7_000);
        log.reset(0);
        for (long i = 1; i <= 5; i++) {
            log.applied(i, CLIENT, unlink("k".repeat(1000) + i));
            log.advance(i);
        }
        assertTrue(log.since(1, 10, null).missed(1));
        NamespaceChanges c = log.since(2, 10, null);
        assertFalse(c.missed(2));
        assertEquals(List.of(3L, 4L, 5L), indexes(c));
    }

    @Test
    void anEntrysChangesAreNeverSplitAcrossAnswers() {
        NamespaceChangeLog log = new NamespaceChangeLog(16, NamespaceChangeLog.MAX_BYTES);
        log.reset(0);
        log.applied(1, CLIENT, unlink("a"));
        log.applied(2, CLIENT, new MetadataCommand.Batch(List.of(unlink("b"), unlink("c"), unlink("d"))));
        log.applied(3, CLIENT, unlink("e"));
        log.advance(3);
        NamespaceChanges first = log.since(0, 2, null);
        assertEquals(List.of(1L, 2L, 2L, 2L), indexes(first));
        assertEquals(2, first.last());
        assertEquals(List.of(3L), indexes(log.since(first.last(), 2, null)));
    }

    @Test
    void aClientIsNotToldItsOwnChanges() {
        NamespaceChangeLog log = new NamespaceChangeLog(16, NamespaceChangeLog.MAX_BYTES);
        log.reset(0);
        UUID other = new UUID(2, 2);
        log.applied(1, CLIENT, unlink("mine"));
        log.applied(2, other, unlink("theirs"));
        log.advance(2);
        NamespaceChanges c = log.since(0, 10, CLIENT);
        assertEquals(List.of("theirs"), c.changes().stream().map(NamespaceChange::key).toList());
        assertEquals(2, c.last());
    }

    @Test
    void aLimitBelowOneStillAnswersOneEntry() {
        NamespaceChangeLog log = new NamespaceChangeLog(16, NamespaceChangeLog.MAX_BYTES);
        log.reset(0);
        log.applied(1, CLIENT, unlink("a"));
        log.applied(2, CLIENT, unlink("b"));
        log.advance(2);
        NamespaceChanges c = log.since(0, -5, null);
        assertEquals(List.of(1L), indexes(c));
        assertEquals(1, c.last());
    }
}
