package io.mooseng.fuse.kernel;

/** A failure of one filesystem operation, answered to the kernel as its errno (positive here). */
public final class FuseException extends RuntimeException {
    private final int errno;
    private final Object subject;

    public FuseException(int errno, String message) {
        this(errno, message, null);
    }

    /** The message is {@code message} and then {@code subject}, put together only if read: some answers are errors often (ENOENT). */
    public FuseException(int errno, String message, Object subject) {
        super(message, null, false, false);
        this.errno = errno;
        this.subject = subject;
    }

    @Override
    public String getMessage() {
        return subject == null ? super.getMessage() : super.getMessage() + subject;
    }

    public int errno() {
        return errno;
    }
}
