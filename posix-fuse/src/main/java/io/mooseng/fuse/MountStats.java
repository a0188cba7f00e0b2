package io.mooseng.fuse;

/** Where a mount reports each FUSE request it answered (metrics); {@link #NONE} keeps nothing. */
@FunctionalInterface
public interface MountStats {
    MountStats NONE = (request, nanos, errno) -> {
    };

    /** @param request lookup, create, ... (see the kernel binding's names); @param errno 0 for success */
    void served(String request, long nanos, int errno);
}
