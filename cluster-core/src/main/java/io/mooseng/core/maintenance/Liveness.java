package io.mooseng.core.maintenance;

import io.mooseng.core.model.ChunkserverInfo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which chunkservers are alive, judged on this master's clock: a chunkserver is lost once
 * its registered heartbeat has not changed for the timeout. Comparing heartbeat values, not
 * their timestamps with our clock, keeps clock skew between machines out of the decision.
 * A new leader starts every chunkserver as just seen, so a failover never declares losses.
 */
final class Liveness {
    private record Seen(long heartbeat, long atMillis) {
    }

    private final long timeoutMillis;
    private final Map<String, Seen> seen = new HashMap<>();

    Liveness(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** Records the registry's heartbeats; @return ids of the lost chunkservers. */
    Set<String> update(List<ChunkserverInfo> registered, long now) {
        Set<String> lost = new TreeSet<>();
        for (ChunkserverInfo cs : registered) {
            Seen s = seen.get(cs.id());
            if (s == null || s.heartbeat() != cs.heartbeatMillis()) {
                seen.put(cs.id(), new Seen(cs.heartbeatMillis(), now));
            } else if (now - s.atMillis() > timeoutMillis) {
                lost.add(cs.id());
            }
        }
        return lost;
    }

    /** Forgets everything (this master lost leadership; the next term starts fresh). */
    void reset() {
        seen.clear();
    }
}
