package io.mooseng.fuse;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.Failures;
import io.mooseng.core.error.MooseException;
import ru.serce.jnrfuse.ErrorCodes;


/** The one table from storage errors to errno values, as the kernel wants them (negative). */
final class Errno {
    static final int ENOENT = ErrorCodes.ENOENT();
    static final int EEXIST = ErrorCodes.EEXIST();
    static final int ENOTDIR = ErrorCodes.ENOTDIR();
    static final int EISDIR = ErrorCodes.EISDIR();
    static final int ENOTEMPTY = ErrorCodes.ENOTEMPTY();
    static final int EINVAL = ErrorCodes.EINVAL();
    static final int EXDEV = ErrorCodes.EXDEV();
    static final int ENAMETOOLONG = ErrorCodes.ENAMETOOLONG();
    static final int ENOSPC = ErrorCodes.ENOSPC();
    static final int EAGAIN = ErrorCodes.EAGAIN();
    static final int EPERM = ErrorCodes.EPERM();
    static final int EIO = ErrorCodes.EIO();
    static final int ENODATA = ErrorCodes.ENODATA();
    // jnr-fuse's ENOTSUP() is the macOS number (45, EL2NSYNC on Linux); Linux's ENOTSUP is EOPNOTSUPP
    static final int ENOTSUP = ErrorCodes.EOPNOTSUPP();
    static final int ERANGE = ErrorCodes.ERANGE();
    static final int EBADF = ErrorCodes.EBADF();

    private Errno() {
    }

    /** The errno (positive) for a failure of an operation. */
    static int of(Throwable failure) {
        Throwable t = Failures.unwrap(failure);
        if (t instanceof FuseError e) {
            return e.errno();
        }
        if (t instanceof MooseException e) {
            return of(e.code());
        }
        return EIO;
    }

    static int of(ErrorCode code) {
        return switch (code) {
            case NO_SUCH_BUCKET, NO_SUCH_KEY, NO_SUCH_UPLOAD -> ENOENT;
            case BUCKET_ALREADY_EXISTS, ALREADY_EXISTS -> EEXIST;
            case BUCKET_NOT_EMPTY, DIRECTORY_NOT_EMPTY -> ENOTEMPTY;
            // a path through a file
            case KEY_CONFLICT, NOT_A_DIRECTORY -> ENOTDIR;
            case IS_A_DIRECTORY -> EISDIR;
            case INVALID_BUCKET_NAME, INVALID_KEY, INVALID_ARGUMENT, INVALID_STORAGE_CLASS -> EINVAL;
            case NO_SPACE, INSUFFICIENT_CHUNKSERVERS -> ENOSPC;
            // the mount waits long for memory (MountCommand); still refused means "try again"
            case SLOW_DOWN -> EAGAIN;
            case INVALID_PART, INVALID_PART_ORDER, ENTITY_TOO_SMALL, BAD_DIGEST, DATA_UNAVAILABLE, SHARD_NOT_FOUND,
                    SHARD_CORRUPT, NO_SUCH_BLOCK, CONCURRENT_CHANGE, METADATA_UNAVAILABLE, INTERNAL -> EIO;
        };
    }
}
