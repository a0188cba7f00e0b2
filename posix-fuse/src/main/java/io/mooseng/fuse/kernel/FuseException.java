package io.mooseng.fuse.kernel;

/** A failure of one filesystem operation, answered to the kernel as its errno (positive here). */
public final class FuseException extends RuntimeException {
    private final int errno;

    public FuseException(int errno, String message) {
        super(message, null, false, false);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
