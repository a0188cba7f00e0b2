package io.mooseng.fuse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Handles whose open found another file under the node's name (a rename replaced it since the
 * kernel's lookup), one entry per handle: the kernel's fstat on the node names no handle, so
 * it is answered from the newest of them. Counted per handle because the kernel releases
 * asynchronously: the release of an earlier open of the same file may arrive after the next
 * open and must not take that one's entry with it.
 *
 * @param <F> an open file
 */
final class RedirectedHandles<F> {
    /** Immutable lists, replaced whole: readers need no lock. */
    private final Map<Long, List<F>> byNode = new ConcurrentHashMap<>();

    void opened(long nodeid, F file) {
        byNode.compute(nodeid, (k, files) -> {
            List<F> next = files == null ? new ArrayList<>(1) : new ArrayList<>(files);
            next.add(file);
            return List.copyOf(next);
        });
    }

    /** One handle of {@code file} on the node closed; nothing when that open was not redirected. */
    void released(long nodeid, F file) {
        byNode.computeIfPresent(nodeid, (k, files) -> {
            int i = files.lastIndexOf(file);
            if (i < 0) {
                return files;
            }
            List<F> next = new ArrayList<>(files);
            next.remove(i);
            return next.isEmpty() ? null : List.copyOf(next);
        });
    }

    /** The file the node's newest redirected handle reads, or null. */
    F newest(long nodeid) {
        List<F> files = byNode.get(nodeid);
        return files == null ? null : files.getLast();
    }
}
