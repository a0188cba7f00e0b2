package io.mooseng.metadata.rpc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one connection's calls into Ratis one after another, in arrival order, on a virtual
 * thread instead of the connection's event loop. Ratis's "asynchronous" entry points may wait:
 * appendEntries takes the server's lock and joins the step-down of the member's previous role,
 * a client request waits for Ratis's client executor. On an event loop such a wait also
 * stopped the replies and timeouts of this process's own calls on that loop, which the awaited
 * thread may need: the member hung for good.
 */
final class CallLane implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(CallLane.class);
    private static final Executor VIRTUAL = command -> Thread.ofVirtual().name("raft-rpc-lane").start(command);

    private final Queue<Runnable> calls = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    @Override
    public void execute(Runnable call) {
        calls.add(call);
        drainIfIdle();
    }

    private void drainIfIdle() {
        if (!calls.isEmpty() && draining.compareAndSet(false, true)) {
            VIRTUAL.execute(this::drain);
        }
    }

    private void drain() {
        try {
            for (Runnable call; (call = calls.poll()) != null; ) {
                try {
                    call.run();
                } catch (RuntimeException | Error e) {
                    LOG.warn("Raft RPC call failed outside its reply: {}", e.toString());
                }
            }
        } finally {
            draining.set(false);
            drainIfIdle(); // a call added after the last poll and before the flag cleared
        }
    }
}
