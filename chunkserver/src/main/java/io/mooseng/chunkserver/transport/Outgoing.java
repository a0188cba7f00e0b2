package io.mooseng.chunkserver.transport;

import io.netty.buffer.ByteBuf;
import io.vertx.core.internal.net.NetSocketInternal;

/** What a {@link ClientConnection} has to send, in order: a call's frames, or a lone frame. */
interface Outgoing {
    /**
     * Writes frames while the socket's write queue has room.
     *
     * @return true once all are written; false if the rest must wait for the queue to drain
     */
    boolean send(NetSocketInternal socket);

    /** It will not be sent (or not all of it): the connection closed, or the call gave up before it started. */
    void drop();

    /** A frame on its own, answered by nothing. */
    static Outgoing frame(ByteBuf frame) {
        return new Outgoing() {
            @Override
            public boolean send(NetSocketInternal socket) {
                socket.writeMessage(frame);
                return true;
            }

            @Override
            public void drop() {
                frame.release();
            }
        };
    }
}
