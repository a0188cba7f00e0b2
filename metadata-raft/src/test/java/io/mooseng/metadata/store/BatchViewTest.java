package io.mooseng.metadata.store;

import io.mooseng.metadata.store.NamespaceSchema.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The reads an entry remembers stay what its batch holds: after writes, deletes and rollbacks;
 * cursors within a prefix see the batch over the database and end with the prefix.
 */
@Timeout(60)
class BatchViewTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRememberedReadFollowsTheWritesAndRollbacksOfItsEntry(@TempDir Path dir) {
        try (NamespaceDb db = NamespaceDb.open(dir)) {
            try (BatchView first = new BatchView(db)) {
                first.put(Table.META, b("k"), b("stored"));
                first.commit();
            }
            try (BatchView view = new BatchView(db)) {
                byte[] stored = view.get(Table.META, b("k"));
                assertArrayEquals(b("stored"), stored);
                assertSame(stored, view.get(Table.META, b("k")), "read once from the database");
                assertNull(view.get(Table.INODES, b("k")), "another table's key is another key");

                view.setSavePoint();
                view.put(Table.META, b("k"), b("changed"));
                assertArrayEquals(b("changed"), view.get(Table.META, b("k")));
                view.rollbackToSavePoint();
                assertArrayEquals(b("stored"), view.get(Table.META, b("k")));

                view.setSavePoint();
                view.delete(Table.META, b("k"));
                assertNull(view.get(Table.META, b("k")));
                view.popSavePoint();
                assertNull(view.get(Table.META, b("k")));

                view.setSavePoint();
                view.put(Table.META, b("k"), b("again"));
                view.rollbackToSavePoint();
                assertNull(view.get(Table.META, b("k")), "the rollback goes back to the delete");
                view.commit();
            }
            try (BatchView after = new BatchView(db)) {
                assertNull(after.get(Table.META, b("k")));
            }
        }
    }

    @Test
    void anEntryReadingMoreThanItRemembersStillReadsRight(@TempDir Path dir) {
        try (NamespaceDb db = NamespaceDb.open(dir); BatchView view = new BatchView(db)) {
            int n = BatchView.MAX_REMEMBERED + 10;
            for (int i = 0; i < n; i++) {
                view.put(Table.META, b("k" + i), b("v" + i));
            }
            for (int i = 0; i < n; i++) {
                assertArrayEquals(b("v" + i), view.get(Table.META, b("k" + i)));
                assertNull(view.get(Table.META, b("absent" + i)));
            }
        }
    }

    @Test
    void aCursorWithinAPrefixSeesTheBatchOverTheDatabaseAndEndsWithThePrefix(@TempDir Path dir) {
        try (NamespaceDb db = NamespaceDb.open(dir)) {
            try (BatchView first = new BatchView(db)) {
                for (String k : List.of("a1", "a2", "a4", "b1")) {
                    first.put(Table.META, b(k), b(k));
                }
                first.delete(Table.META, b("a4")); // a deleted key under the prefix, before the end
                first.commit();
            }
            try (BatchView view = new BatchView(db)) {
                view.put(Table.META, b("a3"), b("a3"));
                view.delete(Table.META, b("a1"));
                view.put(Table.META, b("b0"), b("b0"));
                assertEquals(List.of("a2", "a3"), keys(view, "a", "a"));
                assertEquals(List.of("a3"), keys(view, "a", "a3"));
                try (KvView.Cursor outer = view.seekWithin(Table.META, b("a")); KvView.Cursor inner = view.seekWithin(Table.META, b("b"))) {
                    assertArrayEquals(b("a2"), outer.key(), "cursors open at once keep their own bounds");
                    assertArrayEquals(b("b0"), inner.key());
                }
                view.commit();
            }
            try (SnapshotView snapshot = new SnapshotView(db)) {
                assertEquals(List.of("a2", "a3"), keys(snapshot, "a", "a"));
                assertEquals(List.of(), keys(snapshot, "c", "c"));
            }
        }
    }

    @Test
    void thePrefixEndsAtItsNextKey() {
        assertArrayEquals(new byte[]{0x62}, KvView.endOf(new byte[]{0x61}));
        assertArrayEquals(new byte[]{0x62}, KvView.endOf(new byte[]{0x61, (byte) 0xFF}));
        assertArrayEquals(new byte[]{0, 0, 0, 8}, KvView.endOf(new byte[]{0, 0, 0, 7}));
        assertNull(KvView.endOf(new byte[]{(byte) 0xFF, (byte) 0xFF}), "nothing sorts after it");
        assertNull(KvView.endOf(new byte[0]));
    }

    private static List<String> keys(KvView view, String prefix, String from) {
        List<String> out = new ArrayList<>();
        try (KvView.Cursor c = view.seekWithin(Table.META, b(prefix), b(from))) {
            for (; c.valid(); c.next()) {
                out.add(new String(c.key(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
