package io.mooseng.metadata.client;

import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.util.IOUtils;

import java.io.IOException;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Ratis' client transport, except that dropping the connection to a peer never holds up a
 * request. When a request to the leader fails, Ratis closes that peer's channel on the
 * failing request's own thread before it retries elsewhere, and a gRPC channel to a frozen
 * process waits 3 s for a graceful end (then 2 s more): every write then took 4 s to reach
 * the new leader after a SIGSTOP of the old one. Here the channel is dropped on a virtual
 * thread; the peer's entry is replaced at once, so a later request opens a fresh channel.
 */
final class DetachedCloseClientRpc implements RaftClientRpc {
    private static final Executor CLOSER = Executors.newVirtualThreadPerTaskExecutor();

    private final RaftClientRpc delegate;

    DetachedCloseClientRpc(RaftClientRpc delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<RaftClientReply> sendRequestAsync(RaftClientRequest request) {
        return delegate.sendRequestAsync(request);
    }

    @Override
    public CompletableFuture<RaftClientReply> sendRequestAsyncUnordered(RaftClientRequest request) {
        return delegate.sendRequestAsyncUnordered(request);
    }

    @Override
    public RaftClientReply sendRequest(RaftClientRequest request) throws IOException {
        return delegate.sendRequest(request);
    }

    @Override
    public void addRaftPeers(Collection<RaftPeer> peers) {
        delegate.addRaftPeers(peers);
    }

    @Override
    public boolean handleException(RaftPeerId serverId, Throwable t, boolean reconnect) {
        if (!reconnect && !IOUtils.shouldReconnect(t)) {
            return false;
        }
        CLOSER.execute(() -> delegate.handleException(serverId, t, reconnect));
        return true;
    }

    @Override
    public boolean shouldReconnect(Throwable t) {
        return delegate.shouldReconnect(t);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
