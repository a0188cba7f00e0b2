package io.mooseng.metadata.rpc;

import io.mooseng.metadata.TestCluster;
import io.mooseng.metadata.raft.RaftPeers;
import org.apache.ratis.proto.RaftProtos.GroupInfoReplyProto;
import org.apache.ratis.proto.RaftProtos.GroupInfoRequestProto;
import org.apache.ratis.proto.RaftProtos.ClientMessageEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftClientReplyProto;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.ProtoUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Raft RPC against a real member: calls, bad frames, dead and silent peers. */
@Timeout(60)
class RaftRpcTest {
    @TempDir
    static Path dir;
    private static TestCluster cluster;
    private static String address;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(dir, 1);
        address = cluster.addresses().get(0);
    }

    @AfterAll
    static void stop() throws IOException {
        cluster.close();
    }

    private static GroupInfoRequestProto groupInfo() {
        return GroupInfoRequestProto.newBuilder().setRpcRequest(RaftRpcRequestProto.newBuilder()
                .setRequestorId(ClientId.randomId().toByteString())
                .setReplyId(ByteString.copyFromUtf8("member"))
                .setRaftGroupId(ProtoUtils.toRaftGroupIdProtoBuilder(RaftPeers.GROUP_ID))).build();
    }

    @Test
    void aCallIsAnsweredOnAConnectionThatStaysOpen() throws Exception {
        RaftRpcConnection c = new RaftRpcConnection(address, 1000);
        try {
            for (int i = 0; i < 3; i++) {
                GroupInfoReplyProto reply = c.call(RpcKind.GROUP_INFO, groupInfo(), GroupInfoReplyProto.parser(), 5000).get(10, TimeUnit.SECONDS);
                assertTrue(reply.getRpcReply().getSuccess(), reply.toString());
            }
            assertFalse(c.closeFuture().isDone());
        } finally {
            c.close();
        }
        c.closeFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aFrameWithAnUnreadablePayloadGetsAnErrorReplyAndTheConnectionGoesOn() throws Exception {
        try (Socket s = new Socket(RaftPeers.host(address), RaftPeers.port(address))) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] junk = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
            out.writeInt(RpcFrames.HEADER + junk.length);
            out.writeLong(42);
            out.writeByte(RpcKind.CLIENT_REQUEST.code);
            out.writeByte(RpcFrames.REQUEST);
            out.write(junk);
            out.flush();
            int length = in.readInt();
            assertEquals(42, in.readLong());
            assertEquals(RpcKind.CLIENT_REQUEST.code, in.readByte());
            assertEquals(RpcFrames.ERROR, in.readByte());
            String error = new String(in.readNBytes(length - RpcFrames.HEADER), StandardCharsets.UTF_8);
            assertTrue(error.contains("InvalidProtocolBuffer"), error);
        }
    }

    @Test
    void anOversizeLengthOrAnUnknownKindClosesTheConnection() throws Exception {
        try (Socket s = new Socket(RaftPeers.host(address), RaftPeers.port(address))) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(RpcFrames.MAX_FRAME + 1);
            out.flush();
            assertEquals(-1, s.getInputStream().read(), "the member closed the connection");
        }
        try (Socket s = new Socket(RaftPeers.host(address), RaftPeers.port(address))) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(RpcFrames.HEADER);
            out.writeLong(1);
            out.writeByte(99);
            out.writeByte(RpcFrames.REQUEST);
            out.flush();
            assertEquals(-1, s.getInputStream().read(), "the member closed the connection");
        }
        // the member still serves
        RaftRpcConnection c = new RaftRpcConnection(address, 1000);
        try {
            assertTrue(c.call(RpcKind.GROUP_INFO, groupInfo(), GroupInfoReplyProto.parser(), 5000).get(10, TimeUnit.SECONDS)
                    .getRpcReply().getSuccess());
        } finally {
            c.close();
        }
    }

    @Test
    void aMessageOverTheFrameLimitFailsItsCallAndTheConnectionGoesOn() throws Exception {
        RaftRpcConnection c = new RaftRpcConnection(address, 1000);
        try {
            RaftClientRequestProto huge = RaftClientRequestProto.newBuilder()
                    .setMessage(ClientMessageEntryProto.newBuilder().setContent(ByteString.copyFrom(new byte[RpcFrames.MAX_FRAME])))
                    .build();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> c.call(RpcKind.CLIENT_REQUEST, huge, RaftClientReplyProto.parser(), 5000).get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("frame limit"), e.getCause().getMessage());
            assertTrue(c.call(RpcKind.GROUP_INFO, groupInfo(), GroupInfoReplyProto.parser(), 5000).get(10, TimeUnit.SECONDS)
                    .getRpcReply().getSuccess());
        } finally {
            c.close();
        }
    }

    @Test
    void aCallToAClosedPortFailsAtOnceAndToASilentPeerAtItsTimeout() throws Exception {
        int free;
        try (ServerSocket probe = new ServerSocket(0)) {
            free = probe.getLocalPort();
        }
        RaftRpcConnection refused = new RaftRpcConnection("127.0.0.1:" + free, 1000);
        long start = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> refused.call(RpcKind.GROUP_INFO, groupInfo(), GroupInfoReplyProto.parser(), 10_000).get(10, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "failed at once");
        assertTrue(refused.isClosed());

        try (ServerSocket silent = new ServerSocket(0)) {
            RaftRpcConnection c = new RaftRpcConnection("127.0.0.1:" + silent.getLocalPort(), 1000);
            try (Socket accepted = silent.accept()) {
                CompletableFuture<GroupInfoReplyProto> call = c.call(RpcKind.GROUP_INFO, groupInfo(), GroupInfoReplyProto.parser(), 300);
                e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
                assertInstanceOf(TimeoutIOException.class, e.getCause());
                assertFalse(c.isClosed(), "a late reply is dropped; the connection stays");
            } finally {
                c.close();
            }
        }
    }

    @Test
    void theMembersConnectionClosesWhenItStops(@TempDir Path other) throws Exception {
        try (TestCluster one = TestCluster.start(other, 1)) {
            String a = one.addresses().get(0);
            RaftRpcConnection c = new RaftRpcConnection(a, 1000);
            c.call(RpcKind.GROUP_INFO, groupInfo(), GroupInfoReplyProto.parser(), 5000).handle((r, x) -> null).get(10, TimeUnit.SECONDS);
            assertFalse(c.closeFuture().isDone());
            one.stopPeer(a);
            c.closeFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void errorsAreRebuiltAsRatisExceptionsWithoutDeserialization() {
        IOException e = RpcErrors.rebuild(RpcErrors.describe(new CompletionException(new GroupMismatchException("not my group"))), "p");
        assertInstanceOf(GroupMismatchException.class, e);
        assertEquals("not my group", e.getMessage());
        IOException other = RpcErrors.rebuild("java.lang.ProcessBuilder\nrm -rf /", "p");
        assertEquals(IOException.class, other.getClass());
        assertTrue(other.getMessage().contains("java.lang.ProcessBuilder"));
    }
}
