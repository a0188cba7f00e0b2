package io.mooseng.s3.error;

import io.mooseng.core.error.ErrorCode;

/** The one mapping from storage error codes to S3 errors. */
public final class StorageErrors {
    private StorageErrors() {
    }

    /**
     * Exhaustive on purpose: a new {@link ErrorCode} does not compile until it is mapped here.
     * INVALID_KEY is InvalidArgument; the gateway checks key length itself first, so a key
     * that is merely too long is answered KeyTooLongError without matching messages.
     */
    public static S3Error toS3(ErrorCode code) {
        return switch (code) {
            case NO_SUCH_BUCKET -> S3Error.NO_SUCH_BUCKET;
            case BUCKET_ALREADY_EXISTS -> S3Error.BUCKET_ALREADY_OWNED_BY_YOU;
            case BUCKET_NOT_EMPTY -> S3Error.BUCKET_NOT_EMPTY;
            case INVALID_BUCKET_NAME -> S3Error.INVALID_BUCKET_NAME;
            case NO_SUCH_KEY -> S3Error.NO_SUCH_KEY;
            case INVALID_KEY, INVALID_ARGUMENT -> S3Error.INVALID_ARGUMENT;
            // the mount's tree errors reach S3 only as path conflicts
            case KEY_CONFLICT, ALREADY_EXISTS, NOT_A_DIRECTORY, IS_A_DIRECTORY, DIRECTORY_NOT_EMPTY -> S3Error.OBJECT_PATH_CONFLICT;
            case NO_SUCH_UPLOAD -> S3Error.NO_SUCH_UPLOAD;
            case NO_SUCH_VERSION -> S3Error.NO_SUCH_VERSION;
            case INVALID_PART -> S3Error.INVALID_PART;
            case INVALID_PART_ORDER -> S3Error.INVALID_PART_ORDER;
            case ENTITY_TOO_SMALL -> S3Error.ENTITY_TOO_SMALL;
            case ENTITY_TOO_LARGE -> S3Error.ENTITY_TOO_LARGE;
            case BAD_DIGEST -> S3Error.BAD_DIGEST;
            case INVALID_STORAGE_CLASS -> S3Error.INVALID_STORAGE_CLASS;
            // transient: the cluster may recover (chunkservers return, a leader is elected)
            case INSUFFICIENT_CHUNKSERVERS, DATA_UNAVAILABLE, METADATA_UNAVAILABLE -> S3Error.SERVICE_UNAVAILABLE;
            case NO_SPACE -> S3Error.STORAGE_FULL;
            case SLOW_DOWN, LEASE_CONFLICT -> S3Error.SLOW_DOWN;
            // ObjectService decodes around lost or corrupt shards, and gateways hold no leases; reaching here is a bug
            case SHARD_NOT_FOUND, SHARD_CORRUPT, NO_SUCH_BLOCK, LEASE_REVOKED, INTERNAL -> S3Error.INTERNAL_ERROR;
            // a chunkserver refused this gateway's certificate role: the cluster's setup, not the S3 caller's request
            case PERMISSION_DENIED -> S3Error.INTERNAL_ERROR;
            case ENCRYPTION_KEY_REQUIRED -> S3Error.INVALID_REQUEST;
            case WRONG_ENCRYPTION_KEY -> S3Error.ACCESS_DENIED;
            case MALFORMED_POLICY -> S3Error.MALFORMED_POLICY;
            // S3 answers a delete of a locked version, and a retention it may not shorten, 403 AccessDenied
            case OBJECT_LOCKED -> S3Error.ACCESS_DENIED;
            case INVALID_BUCKET_STATE -> S3Error.INVALID_BUCKET_STATE;
            // S3 renames nothing: only the mount's directory renames meet it
            case DIRECTORY_TOO_LARGE_TO_MOVE -> S3Error.INVALID_REQUEST;
            // the key's object did not meet a write's condition (If-Match, If-None-Match) when the write applied
            case CONCURRENT_CHANGE -> S3Error.PRECONDITION_FAILED;
        };
    }
}
