package io.mooseng.core.error;


/** A typed failure of the storage layer; front doors map {@link #code()} to their own errors. */
public class MooseException extends RuntimeException {
    private final ErrorCode code;

    public MooseException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public MooseException(ErrorCode code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** Unwraps future wrappers and turns anything unknown into {@link ErrorCode#INTERNAL}. */
    public static MooseException of(Throwable t) {
        Throwable cur = Failures.unwrap(t);
        if (cur instanceof MooseException me) {
            return me;
        }
        return new MooseException(ErrorCode.INTERNAL, String.valueOf(cur), cur);
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
