package io.mooseng.chunkserver.transport;

import io.netty.buffer.ByteBuf;

/**
 * What a {@link ShardCall} handling its reply may ask of the connection the reply came on: an
 * event-loop {@link ClientConnection}, or the blocking {@link CallerConnection} of a thread that
 * reads on its own.
 */
interface CallPeer {
    /** The next {@code length} bytes (unsigned) after the current frame are the body of {@code requestId}. */
    void expectBody(int requestId, int length);

    /** Sends a frame answered by nothing (a CORRUPT report). */
    void sendAside(ByteBuf frame);

    /** "chunkserver ID at ADDRESS", for messages. */
    String describe();
}
