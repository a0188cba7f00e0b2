package io.mooseng.metadata;

import io.mooseng.metadata.client.RaftMetadataService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

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
}
