package io.mooseng.fuse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RedirectedHandlesTest {
    private final RedirectedHandles<String> handles = new RedirectedHandles<>();

    @Test
    void anEarlierOpensLateReleaseLeavesTheNextOpenOfTheSameFile() {
        // open, fstat, close, open again: the first RELEASE arrives after the second OPEN
        handles.opened(7, "y");
        handles.opened(7, "y");
        handles.released(7, "y");
        assertEquals("y", handles.newest(7));
        handles.released(7, "y");
        assertNull(handles.newest(7));
    }

    @Test
    void theNewestOpenAnswersAndAReleaseTakesOnlyItsOwnFile() {
        handles.opened(7, "y");
        handles.opened(7, "z");
        assertEquals("z", handles.newest(7));
        handles.released(7, "y");
        assertEquals("z", handles.newest(7));
        handles.released(7, "x");
        assertEquals("z", handles.newest(7));
        assertNull(handles.newest(8));
    }
}
