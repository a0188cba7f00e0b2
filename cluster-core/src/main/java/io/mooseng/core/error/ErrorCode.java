package io.mooseng.core.error;

/**
 * Every failure the storage layer can report, independent of any front door.
 * The S3 gateway maps each code once to an S3 error (code, HTTP status); the FUSE
 * adapter maps each once to an errno. Add a code here, then extend both switches.
 */
public enum ErrorCode {
    NO_SUCH_BUCKET,
    BUCKET_ALREADY_EXISTS,
    BUCKET_NOT_EMPTY,
    INVALID_BUCKET_NAME,
    NO_SUCH_KEY,
    /** The key cannot be a path: empty segment, "." or "..", NUL, too long. */
    INVALID_KEY,
    /** The key clashes with the tree: content for a directory marker key, or a trash restore onto a taken key. */
    KEY_CONFLICT,
    NO_SUCH_UPLOAD,
    /** A version id that is well formed but names no version of the key. */
    NO_SUCH_VERSION,
    INVALID_PART,
    INVALID_PART_ORDER,
    ENTITY_TOO_SMALL,
    /** Content larger than an object may be ({@link io.mooseng.core.model.ObjectManifest#MAX_SIZE}): a file grown past it. */
    ENTITY_TOO_LARGE,
    BAD_DIGEST,
    INVALID_STORAGE_CLASS,
    /** Fewer live chunkservers than a storage class needs for a write. */
    INSUFFICIENT_CHUNKSERVERS,
    /** More shards of a block are lost than its class tolerates. */
    DATA_UNAVAILABLE,
    SHARD_NOT_FOUND,
    SHARD_CORRUPT,
    /** A chunkserver's disk has no room for a shard. */
    NO_SPACE,
    /** A block the caller named is no longer in the namespace (deleted or re-coded meanwhile). */
    NO_SUCH_BLOCK,
    /** The namespace changed since the caller read it; the conditional change was not applied. */
    CONCURRENT_CHANGE,
    /** A name the caller wanted to create exists (O_EXCL, mkdir, link). */
    ALREADY_EXISTS,
    /** A directory was needed (rename of a directory over a file, rmdir of a file). */
    NOT_A_DIRECTORY,
    /** A file was needed (unlink or rename of a file over a directory). */
    IS_A_DIRECTORY,
    /** The directory has entries (rmdir, rename over it). */
    DIRECTORY_NOT_EMPTY,
    /** The request cannot be carried out as asked (a directory moved into itself, a bad attribute). */
    INVALID_ARGUMENT,
    /** The process's memory budget is spent: the work waited its bounded time and was refused; retry later. */
    SLOW_DOWN,
    /**
     * A directory the request reaches is leased to another client (a mount working in it),
     * which is asked to give it back: retry shortly.
     */
    LEASE_CONFLICT,
    /**
     * This client's leases were taken away after it went silent for longer than a lease
     * lasts; the request was refused, and so were its changes under them since.
     */
    LEASE_REVOKED,
    /** No metadata leader reachable in time. */
    METADATA_UNAVAILABLE,
    /**
     * A cluster node refused a call because of the caller's role (its certificate's): a gateway
     * may not delete shards. A misconfigured node, never the end user's doing.
     */
    PERMISSION_DENIED,
    /** The object is encrypted and the caller brought no key for it (SSE-C without its key, a mount without the cluster key). */
    ENCRYPTION_KEY_REQUIRED,
    /** The caller's key is not the one the object was encrypted with (SSE-C). */
    WRONG_ENCRYPTION_KEY,
    /** A policy document that does not parse or breaks IAM's grammar (the message says where). */
    MALFORMED_POLICY,
    /** The object version is under an S3 Object Lock retention or legal hold that forbids the removal or change. */
    OBJECT_LOCKED,
    /** The bucket's state forbids the change (suspending versioning, or object lock settings, where they cannot apply). */
    INVALID_BUCKET_STATE,
    /**
     * A directory renamed in a zone of a multisite group holds too many names to travel to the
     * other zones as one change: the mount answers EXDEV, so mv copies it name by name.
     */
    DIRECTORY_TOO_LARGE_TO_MOVE,
    INTERNAL
}
