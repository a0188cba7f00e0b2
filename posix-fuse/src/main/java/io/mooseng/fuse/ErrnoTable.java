package io.mooseng.fuse;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.Failures;
import io.mooseng.core.error.MooseException;
import io.mooseng.fuse.kernel.FuseException;

import static io.mooseng.fuse.kernel.Errno.EACCES;
import static io.mooseng.fuse.kernel.Errno.EAGAIN;
import static io.mooseng.fuse.kernel.Errno.EEXIST;
import static io.mooseng.fuse.kernel.Errno.EFBIG;
import static io.mooseng.fuse.kernel.Errno.EINVAL;
import static io.mooseng.fuse.kernel.Errno.EIO;
import static io.mooseng.fuse.kernel.Errno.EISDIR;
import static io.mooseng.fuse.kernel.Errno.ENOENT;
import static io.mooseng.fuse.kernel.Errno.ENOSPC;
import static io.mooseng.fuse.kernel.Errno.ENOTDIR;
import static io.mooseng.fuse.kernel.Errno.ENOTEMPTY;
import static io.mooseng.fuse.kernel.Errno.EPERM;
import static io.mooseng.fuse.kernel.Errno.EXDEV;

/** The one table from storage errors to the errno the mount answers. */
final class ErrnoTable {
    private ErrnoTable() {
    }

    /** The errno (positive) for a failure of an operation. */
    static int of(Throwable failure) {
        Throwable t = Failures.unwrap(failure);
        if (t instanceof FuseException e) {
            return e.errno();
        }
        if (t instanceof MooseException e) {
            return of(e.code());
        }
        return EIO;
    }

    static int of(ErrorCode code) {
        return switch (code) {
            case NO_SUCH_BUCKET, NO_SUCH_KEY, NO_SUCH_UPLOAD, NO_SUCH_VERSION -> ENOENT;
            case BUCKET_ALREADY_EXISTS, ALREADY_EXISTS -> EEXIST;
            case BUCKET_NOT_EMPTY, DIRECTORY_NOT_EMPTY -> ENOTEMPTY;
            // a path through a file
            case KEY_CONFLICT, NOT_A_DIRECTORY -> ENOTDIR;
            case IS_A_DIRECTORY -> EISDIR;
            case INVALID_BUCKET_NAME, INVALID_KEY, INVALID_ARGUMENT, INVALID_STORAGE_CLASS, MALFORMED_POLICY, INVALID_BUCKET_STATE -> EINVAL;
            // an S3 Object Lock retention or legal hold: nobody may change the file, root included
            case OBJECT_LOCKED -> EPERM;
            case NO_SPACE, INSUFFICIENT_CHUNKSERVERS -> ENOSPC;
            // a file grows to at most an object's size, as on a full-sized disk file
            case ENTITY_TOO_LARGE -> EFBIG;
            // the mount waits long for memory (MountCommand); still refused means "try again"
            case SLOW_DOWN, LEASE_CONFLICT -> EAGAIN;
            case INVALID_PART, INVALID_PART_ORDER, ENTITY_TOO_SMALL, BAD_DIGEST, DATA_UNAVAILABLE, SHARD_NOT_FOUND,
                    SHARD_CORRUPT, NO_SUCH_BLOCK, CONCURRENT_CHANGE, LEASE_REVOKED, METADATA_UNAVAILABLE, INTERNAL -> EIO;
            // a chunkserver refused the mount's certificate role: the cluster's setup, not the file's permissions (EACCES)
            case PERMISSION_DENIED -> EIO;
            // encrypted at rest: only gateways hold the cluster key
            case ENCRYPTION_KEY_REQUIRED, WRONG_ENCRYPTION_KEY -> EACCES;
            // as between file systems: mv copies name by name instead
            case DIRECTORY_TOO_LARGE_TO_MOVE -> EXDEV;
        };
    }
}
