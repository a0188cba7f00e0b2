package io.mooseng.chunkserver.transport;

/**
 * The peer sent something the shard transport does not allow (a bad hello, a malformed or
 * unexpected frame): the connection cannot be trusted to stay in step and is closed.
 */
final class ProtocolViolation extends RuntimeException {
    ProtocolViolation(String message) {
        super(message, null, false, false);
    }
}
