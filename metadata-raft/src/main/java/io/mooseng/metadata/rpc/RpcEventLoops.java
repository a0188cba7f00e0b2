package io.mooseng.metadata.rpc;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The event loops of the Raft RPC, shared by every server and client in the process and kept
 * apart from the HTTP ones, so a slow S3 handler never delays a heartbeat and the reverse.
 *
 * <p>Calls a member receives and calls the process makes run on two groups of their own.
 * Ratis's asynchronous entry points run on the receiving loop and may wait there:
 * appendEntries joins the step-down of the member's previous role, a client request waits
 * for Ratis's client executor. What they wait for may itself wait for replies to this
 * process's own calls (an election's votes, an appender's appends), whose replies and
 * timeouts run on the calling group, never on the loop that waits; with one group for both, a
 * member could wait on itself for good. Handing every call to another thread instead cost a
 * thread wake-up per call on the commit path (create c=1 with 3 masters: +0.7-1.4 ms).
 */
final class RpcEventLoops {
    private static final int THREADS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private static final EventLoopGroup RECEIVING = new MultiThreadIoEventLoopGroup(THREADS,
            new DefaultThreadFactory("mooseng-raft-rpc-in", true), NioIoHandler.newFactory());
    private static final EventLoopGroup CALLING = new MultiThreadIoEventLoopGroup(THREADS,
            new DefaultThreadFactory("mooseng-raft-rpc", true), NioIoHandler.newFactory());

    private RpcEventLoops() {
    }

    /** The loops of accepted connections: calls to this process's members. */
    static EventLoopGroup receiving() {
        return RECEIVING;
    }

    /** The loops of this process's own calls, their replies and their timeouts. */
    static EventLoopGroup calling() {
        return CALLING;
    }
}
