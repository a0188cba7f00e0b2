package io.mooseng.fuse;

/** A failure the adapter itself detects, with the errno to answer (positive). */
final class FuseError extends RuntimeException {
    private final int errno;

    FuseError(int errno, String message) {
        super(message, null, false, false);
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}
