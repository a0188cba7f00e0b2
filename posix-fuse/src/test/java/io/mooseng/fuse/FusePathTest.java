package io.mooseng.fuse;

import io.mooseng.core.model.ObjectKey;
import io.mooseng.fuse.kernel.Errno;
import io.mooseng.fuse.kernel.FuseException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FusePathTest {
    @Test
    void aNameOf255BytesIsTakenAndOneOf256IsTooLong() {
        FusePath dir = FusePath.parse("/b/d", null);
        String longest = "é".repeat(127) + "x"; // 255 bytes in 128 chars
        assertEquals(new FusePath("b", "d/" + longest), dir.checkedChild(longest));
        assertEquals(Errno.ENAMETOOLONG, assertThrows(FuseException.class, () -> dir.checkedChild(longest + "y")).errno());
    }

    @Test
    void aChildPastTheLongestPathIsTooLong() {
        FusePath deep = new FusePath("b", "d".repeat(ObjectKey.MAX_PATH_BYTES - 3));
        // the key and a directory marker's "/" fill the longest path exactly
        assertEquals(ObjectKey.MAX_PATH_BYTES - 1, deep.checkedChild("e").key().length());
        assertEquals(Errno.ENAMETOOLONG, assertThrows(FuseException.class, () -> deep.checkedChild("ef")).errno());
    }

    @Test
    void theRootComesFirstThenBucketsThenKeysAndASubtreeIsOneRange() {
        List<FusePath> sorted = new ArrayList<>(List.of(new FusePath("b", "x/y"), new FusePath("a", ""), new FusePath(null, ""),
                new FusePath("b", ""), new FusePath("b", "x"), new FusePath("b", "x0"), new FusePath("a", "z")));
        sorted.sort(FusePath.ORDER);
        assertEquals(List.of(new FusePath(null, ""), new FusePath("a", ""), new FusePath("a", "z"), new FusePath("b", ""),
                new FusePath("b", "x"), new FusePath("b", "x/y"), new FusePath("b", "x0")), sorted);
        FusePath x = new FusePath("b", "x");
        for (FusePath p : sorted) {
            boolean inRange = FusePath.ORDER.compare(p, x.subtreeStart()) >= 0 && FusePath.ORDER.compare(p, x.subtreeEnd()) < 0;
            assertEquals(p.isUnder(x), inRange, p.toString());
        }
        assertTrue(FusePath.ORDER.compare(new FusePath("b", "k"), new FusePath(new String("b"), "k")) == 0);
    }
}
