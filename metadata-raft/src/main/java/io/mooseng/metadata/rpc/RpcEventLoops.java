package io.mooseng.metadata.rpc;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The event loops of the Raft RPC, shared by every server and client in the process and kept
 * apart from the HTTP ones, so a slow S3 handler never delays a heartbeat and the reverse. They
 * only move frames, replies and timeouts: calls into Ratis, which may wait, run elsewhere
 * ({@link CallLane}).
 */
final class RpcEventLoops {
    private static final int THREADS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(THREADS,
            new DefaultThreadFactory("mooseng-raft-rpc", true), NioIoHandler.newFactory());

    private RpcEventLoops() {
    }

    static EventLoopGroup group() {
        return GROUP;
    }
}
