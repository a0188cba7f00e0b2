package io.mooseng.metadata.rpc;

import io.mooseng.core.audit.JsonLinesWriter;
import io.mooseng.core.model.AccessKeyRecord;
import io.mooseng.core.security.Role;
import io.mooseng.metadata.command.CommandCodec;
import io.mooseng.metadata.command.MetadataCommand;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.thirdparty.com.google.protobuf.MessageLite;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A member's trail of admin actions, as JSON lines: membership and leadership changes,
 * snapshots on demand, users, keys and the zonegroup — who asked (the certificate's subject and
 * role, the address), what, and how it ended — and every call refused for its caller's role.
 * Written by the member that received the call (an admin tool's requests reach the leader).
 * Never a secret: a key's id, not its sealed secret.
 */
public final class AdminAudit implements AutoCloseable {
    /**
     * The command tags of admin actions (CommandCodec): the zonegroup, pausing sync, users and keys, the cluster
     * key's registration. A rotation's per-object re-seals (44) are not listed one by one: a
     * rotation is one registration, its access keys, and a pass over every encrypted object.
     */
    private static final Set<Integer> ADMIN_TAGS = Set.of(33, 39, 40, 41, 42, 43, 45, 46, 131, 140);
    private static final Set<RpcKind> ADMIN_CALLS = Set.of(RpcKind.SET_CONFIGURATION, RpcKind.GROUP_MANAGEMENT,
            RpcKind.TRANSFER_LEADERSHIP, RpcKind.SNAPSHOT_MANAGEMENT, RpcKind.LEADER_ELECTION_MANAGEMENT);

    private final String member;
    private final JsonLinesWriter out;

    public AdminAudit(Path file, String member) {
        this.member = member;
        this.out = new JsonLinesWriter(file, JsonLinesWriter.DEFAULT_CAPACITY);
    }

    static boolean isAdminCall(RpcKind kind) {
        return ADMIN_CALLS.contains(kind);
    }

    /** The admin action a client request carries, or null for any other command or query. */
    static String describe(RaftClientRequestProto request) {
        if (!request.hasWrite()) {
            return null;
        }
        var content = request.getMessage().getContent();
        // format version, then the tag: only admin commands are decoded (batches of others never are)
        if (content.size() < 2 || !ADMIN_TAGS.contains(content.byteAt(1) & 0xff)) {
            return null;
        }
        MetadataCommand<?> command;
        try {
            command = CommandCodec.decode(content.toByteArray());
        } catch (IllegalArgumentException e) {
            // the state machine refuses it the same way; the trail records the attempt
            return "a malformed admin command: " + e.getMessage();
        }
        return switch (command) {
            case MetadataCommand.ConfigureZone c -> "configure the zonegroup " + c.group().name() + " (epoch " + c.group().epoch()
                    + ") as zone " + c.localZone();
            case MetadataCommand.BootstrapIdentity c -> "register the cluster key and the first administrator";
            case MetadataCommand.PutUser c -> (c.create() ? "add" : "change") + " user " + c.user().name() + " (enabled "
                    + c.user().enabled() + ", root " + c.user().root() + ", " + c.user().policies().size() + " policies)";
            case MetadataCommand.RemoveUser c -> "remove user " + c.name();
            case MetadataCommand.AddAccessKey c -> "create access key " + keyText(c.key());
            case MetadataCommand.RevokeAccessKey c -> "revoke access key " + c.accessKey();
            case MetadataCommand.SetAccessKeyEnabled c -> (c.enabled() ? "enable" : "disable") + " access key " + c.accessKey();
            case MetadataCommand.ResealAccessKey c -> "re-seal access key " + c.accessKey() + " (cluster key rotation)";
            case MetadataCommand.RegisterClusterKey c -> "register a new cluster key (rotation)";
            // the origin only: a webhook URL's user info, path or query may carry a token
            case MetadataCommand.PutNotifyTarget c -> "set notification target " + c.target().name() + " to " + c.target().origin() + "/...";
            case MetadataCommand.RemoveNotifyTarget c -> "remove notification target " + c.name();
            default -> null;
        };
    }

    private static String keyText(AccessKeyRecord k) {
        return k.accessKey() + " of user " + k.user() + (k.expiresMillis() == 0 ? "" : " until " + Instant.ofEpochMilli(k.expiresMillis()));
    }

    /** Records the action once the call ends; the reply passes through unchanged. */
    <T extends MessageLite> CompletableFuture<T> recorded(CompletableFuture<T> reply, Channel channel, Role caller, String action) {
        return reply.whenComplete((r, e) -> write(channel, caller, action, e == null ? "ok" : "failed: " + RpcErrors.describe(e)));
    }

    void refused(Channel channel, Role caller, RpcKind kind, Throwable e) {
        write(channel, caller, kind.action, "refused: " + e.getMessage());
    }

    private void write(Channel channel, Role caller, String action, String outcome) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("member", member);
        line.put("remote", String.valueOf(channel.remoteAddress()));
        line.put("role", caller == null ? null : caller.label());
        line.put("subject", subject(channel));
        line.put("action", action);
        line.put("outcome", outcome);
        out.write(line);
    }

    /** The caller certificate's subject, or null without TLS. */
    private static String subject(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        try {
            return ssl == null ? null : ssl.engine().getSession().getPeerPrincipal().getName();
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return null;
        }
    }

    @Override
    public void close() {
        out.close();
    }
}
