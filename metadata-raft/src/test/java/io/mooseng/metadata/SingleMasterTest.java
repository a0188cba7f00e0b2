package io.mooseng.metadata;

import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.metadata.client.RaftMetadataService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.mooseng.metadata.Fixtures.join;

/**
 * Base of a test class whose tests share one real single-master Raft group ({@link SingleMaster}),
 * started before the class's first test and closed after its last. The fields are static so that
 * the class's static helpers and {@code @BeforeAll} methods can use them; every subclass shares
 * them, so such classes run one at a time in a JVM (as surefire runs them; SingleMaster refuses
 * to start a second group while one runs).
 */
abstract class SingleMasterTest {
    @RegisterExtension
    static final SingleMaster group = new SingleMaster();
    /** The group's ordinary client (no lease holder). */
    static RaftMetadataService meta;

    @BeforeAll
    static void connectToTheGroup() {
        meta = group.meta();
    }

    /** The ids of every block in the group's block table, scanned {@code pageSize} rows at a time. */
    static Set<BlockId> indexed(int pageSize) {
        Set<BlockId> ids = new HashSet<>();
        BlockId after = null;
        while (true) {
            List<BlockRef> page = join(meta.scanBlocks(after, pageSize));
            if (page.isEmpty()) {
                return ids;
            }
            page.forEach(b -> ids.add(b.id()));
            after = page.getLast().id();
        }
    }
}
