package io.mooseng.core.status;

import java.io.IOException;

/** Measures this zone's lag behind its peer zones now (see the multisite module's SyncLag). */
@FunctionalInterface
public interface MultisiteLag {
    /** Blocking: asks this cluster's masters and each peer zone. @throws IOException when this cluster's masters do not answer */
    MultisiteStatus measure() throws IOException;
}
