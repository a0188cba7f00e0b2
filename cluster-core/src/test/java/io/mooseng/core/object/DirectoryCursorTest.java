package io.mooseng.core.object;

import io.mooseng.core.model.NamespaceEntry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DirectoryCursorTest {
    /** The namespace sorts a directory as its marker key: a listing continues after "d/", not after "d". */
    @Test
    void continuesAfterTheEntrysSortKey() {
        assertEquals("f", DirectoryCursor.after(new NamespaceEntry("f", 7, false, null)).sortName());
        assertEquals("d/", DirectoryCursor.after(new NamespaceEntry("d", 8, true, null)).sortName());
    }
}
