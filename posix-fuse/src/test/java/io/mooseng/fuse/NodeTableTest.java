package io.mooseng.fuse;

import io.mooseng.fuse.kernel.Errno;
import io.mooseng.fuse.kernel.FuseException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeTableTest {
    private final NodeTable nodes = new NodeTable(FusePath.parse("/", "b"));

    private static FusePath path(String key) {
        return new FusePath("b", key);
    }

    @Test
    void aNodeStaysUntilTheKernelGivesBackEveryLookup() {
        nodes.looked(7, path("a"));
        nodes.looked(7, path("a"));
        assertFalse(nodes.forget(7, 1), "one lookup still held");
        assertEquals(path("a"), nodes.path(7));
        assertTrue(nodes.forget(7, 1), "the last one given back");
        assertEquals(0, nodes.size());
        assertEquals(Errno.ESTALE, assertThrows(FuseException.class, () -> nodes.path(7)).errno());
    }

    @Test
    void theNamesUnderADirectoryAreItsWholeSubtreeAndNothingBeside() {
        nodes.looked(2, path("d"));
        nodes.looked(3, path("d/x"));
        nodes.looked(4, path("d/e/y"));
        nodes.looked(5, path("d-other/z"));
        nodes.looked(6, path("dd"));
        assertEquals(List.of(path("d/e/y"), path("d/x")), nodes.namesUnder(path("d")));
        assertEquals(List.of(), nodes.namesUnder(path("dd")));
    }

    @Test
    void theRootIsAlwaysKnownAndNeverCounted() {
        nodes.looked(NodeTable.ROOT, path(""));
        assertEquals(path(""), nodes.path(NodeTable.ROOT));
        assertEquals(0, nodes.size());
    }

    @Test
    void aHardLinkKeepsItsOtherNamesWhenOneIsUnlinked() {
        nodes.looked(7, path("a"));
        nodes.looked(7, path("d/b"));
        assertEquals(path("d/b"), nodes.path(7));
        nodes.unlinked(path("d/b"));
        assertEquals(List.of(path("a")), nodes.names(7));
        nodes.unlinked(path("a"));
        assertEquals(Errno.ESTALE, assertThrows(FuseException.class, () -> nodes.path(7)).errno());
        assertEquals(2, nodes.lookups(7));
    }

    @Test
    void aRenamedDirectoryTakesItsSubtreeAndTheReplacedTargetLosesItsName() {
        nodes.looked(1_000, path("dir"));
        nodes.looked(1_001, path("dir/sub/file"));
        nodes.looked(1_002, path("dirt"));
        nodes.looked(1_003, path("new"));
        nodes.renamed(path("dir"), path("new"), true);
        assertEquals(path("new"), nodes.path(1_000));
        assertEquals(path("new/sub/file"), nodes.path(1_001));
        // a sibling whose name only starts the same is not under the directory
        assertEquals(path("dirt"), nodes.path(1_002));
        assertEquals(List.of(), nodes.names(1_003));
        // a process that looked "new" up just before opens what the name holds now
        assertEquals(path("new"), nodes.openName(1_003));
    }

    @Test
    void aRenamedFileMovesAloneAndIsFoundByItsNewName() {
        nodes.looked(1_000, path("a"));
        nodes.looked(1_001, path("a-sibling"));
        nodes.renamed(path("a"), path("b"), false);
        assertEquals(path("b"), nodes.path(1_000));
        assertEquals(1_000, nodes.nodeAt(path("b")));
        assertEquals(0, nodes.nodeAt(path("a")));
        assertEquals(path("a-sibling"), nodes.path(1_001));
    }
}
