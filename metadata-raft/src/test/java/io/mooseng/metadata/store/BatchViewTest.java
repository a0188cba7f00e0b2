package io.mooseng.metadata.store;

import io.mooseng.metadata.store.NamespaceSchema.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The reads an entry remembers stay what its batch holds: after writes, deletes and rollbacks. */
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
}
