package io.mooseng.chunkserver.rpc;

import io.vertx.core.http.Http2Settings;

/**
 * HTTP/2 flow-control windows for shard traffic. The protocol's 64 KiB default would make
 * an 8 MiB shard wait for 128 window updates; wider windows let it stream in one go.
 */
public final class Http2Tuning {
    /** Per-stream window. */
    public static final int STREAM_WINDOW_BYTES = 1 << 20;
    /** Per-connection window, shared by the streams multiplexed on it. */
    public static final int CONNECTION_WINDOW_BYTES = 16 << 20;

    private Http2Tuning() {
    }

    public static Http2Settings settings() {
        return new Http2Settings().setInitialWindowSize(STREAM_WINDOW_BYTES);
    }
}
