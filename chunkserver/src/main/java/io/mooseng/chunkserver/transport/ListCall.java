package io.mooseng.chunkserver.transport;

import io.mooseng.chunkserver.transport.proto.ListShardsReply;
import io.mooseng.core.model.StoredShard;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/** LIST: the inventory, collected from its batches until the one flagged END. */
final class ListCall extends ShardCall<List<StoredShard>> {
    private final List<StoredShard> shards = new ArrayList<>();

    ListCall(long timeoutMillis) {
        super(FrameType.LIST, null, timeoutMillis);
    }

    @Override
    boolean onReply(FrameHeader header, ByteBuf payload, CallPeer connection) {
        Frames.parse(ListShardsReply.parser(), header, payload).getShardsList()
                .forEach(shard -> shards.add(ShardMessages.fromListed(shard)));
        if (header.end()) {
            complete(shards);
        }
        return header.end();
    }
}
