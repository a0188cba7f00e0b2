package io.mooseng.chunkserver.rpc;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/**
 * The one mapping between MooseNG errors and gRPC statuses, used by both ends of the shard
 * service. The server sends the status of the error's code with the message
 * {@code "<ErrorCode>: <message>"}; the client reads the code back from the message, so
 * each code survives the wire exactly even where several share a status.
 */
final class RpcErrors {
    private static final String SEPARATOR = ": ";

    private RpcErrors() {
    }

    /** The gRPC status a code travels with (what generic gRPC tooling shows). */
    static GrpcStatus statusOf(ErrorCode code) {
        return switch (code) {
            case SHARD_NOT_FOUND, NO_SUCH_BUCKET, NO_SUCH_KEY, NO_SUCH_UPLOAD, NO_SUCH_BLOCK -> GrpcStatus.NOT_FOUND;
            case SHARD_CORRUPT -> GrpcStatus.DATA_LOSS;
            case NO_SPACE -> GrpcStatus.RESOURCE_EXHAUSTED;
            case BUCKET_ALREADY_EXISTS, ALREADY_EXISTS -> GrpcStatus.ALREADY_EXISTS;
            case BUCKET_NOT_EMPTY, KEY_CONFLICT, CONCURRENT_CHANGE, NOT_A_DIRECTORY, IS_A_DIRECTORY, DIRECTORY_NOT_EMPTY ->
                    GrpcStatus.FAILED_PRECONDITION;
            case INVALID_BUCKET_NAME, INVALID_KEY, INVALID_PART, INVALID_PART_ORDER, ENTITY_TOO_SMALL, BAD_DIGEST,
                    INVALID_STORAGE_CLASS, INVALID_ARGUMENT -> GrpcStatus.INVALID_ARGUMENT;
            case INSUFFICIENT_CHUNKSERVERS, DATA_UNAVAILABLE, METADATA_UNAVAILABLE -> GrpcStatus.UNAVAILABLE;
            case INTERNAL -> GrpcStatus.INTERNAL;
        };
    }

    /** Server side: the status to answer a failed call with. */
    static StatusException toStatus(Throwable failure) {
        MooseException e = MooseException.of(failure);
        return new StatusException(statusOf(e.code()), e.code().name() + SEPARATOR + e.getMessage());
    }

    /**
     * Client side: the error a non-OK status stands for. A message without a known code
     * prefix (a proxy, a deadline, another server) becomes INTERNAL.
     */
    static MooseException fromStatus(String nodeId, GrpcStatus status, String message) {
        String text = message == null ? "" : message;
        int cut = text.indexOf(SEPARATOR);
        if (cut > 0) {
            try {
                ErrorCode code = ErrorCode.valueOf(text.substring(0, cut));
                if (statusOf(code) == status) {
                    return new MooseException(code, text.substring(cut + SEPARATOR.length()));
                }
            } catch (IllegalArgumentException e) {
                // not one of ours: fall through
            }
        }
        return new MooseException(ErrorCode.INTERNAL, "chunkserver " + nodeId + " answered " + status + ": " + text);
    }
}
