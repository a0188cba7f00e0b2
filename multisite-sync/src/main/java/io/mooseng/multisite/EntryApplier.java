package io.mooseng.multisite;

import io.mooseng.core.error.Failures;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.KeySecrets;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.RemoteApplied;
import io.mooseng.core.model.SyncEntry;
import io.mooseng.core.model.SyncRule;
import io.mooseng.core.object.ObjectService;
import io.mooseng.core.object.ObjectWriter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * Applies one peer change here: a put's bytes are fetched from the peer and stored, then the
 * version committed last-writer-wins (see {@link io.mooseng.core.metadata.SyncLog#applyRemote});
 * other changes are committed directly. Blocking: runs on a virtual thread.
 */
final class EntryApplier {
    private static final int CHUNK = 256 << 10;

    private final ObjectService objects;
    private final String localZone;
    /** Seals a peer's access key secrets to this zone's cluster key. */
    private final KeySecrets secrets;

    EntryApplier(ObjectService objects, String localZone, KeySecrets secrets) {
        this.objects = objects;
        this.localZone = localZone;
        this.secrets = secrets;
    }

    String localZone() {
        return localZone;
    }

    /** @return the bytes stored (0 for changes without content or already applied here) */
    long apply(PeerClient peer, SyncEntry entry) throws IOException {
        if (entry.seen().contains(localZone)) {
            return 0;
        }
        if (entry.identityChange()) {
            applyIdentity(peer, entry);
            return 0;
        }
        if (entry.objectChange() && !ruleOf(entry.bucket()).flows(entry.originZone(), localZone, entry.key(), entry.objectTags())) {
            return 0; // the bucket's sync rule keeps it where it is
        }
        if (entry.kind() != SyncEntry.Kind.PUT_OBJECT) {
            await(objects.sync().applyRemote(entry, null));
            return 0;
        }
        // a read here is cheaper than a commit or a fetch that would change nothing (a change that came through another zone first)
        if (haveAtLeast(entry)) {
            return 0;
        }
        if (entry.inline()) {
            // nothing to fetch: a small object's bytes came with the entry
            await(objects.sync().applyRemote(entry, null));
            return entry.size();
        }
        if (entry.size() == 0) {
            await(objects.openRemoteWrite(entry).thenCompose(w -> w.complete(null)));
            return 0;
        }
        Optional<PeerClient.Content> content = peer.open(entry);
        if (content.isEmpty()) {
            return 0;
        }
        try (InputStream in = content.get().body()) {
            // encrypted there, encrypted here: under this zone's cluster key
            ObjectWriter<RemoteApplied> writer = await(objects.openRemoteWrite(entry, content.get().encrypted()));
            try {
                byte[] buf = new byte[CHUNK];
                for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0; ) {
                    await(writer.write(ByteBuffer.wrap(buf, 0, n)));
                }
                await(writer.complete(null));
                return entry.size();
            } catch (IOException | RuntimeException e) {
                writer.abort();
                throw e;
            }
        }
    }

    /**
     * A user's or key's change; a key's secret, sent in clear by the peer's gateway, is sealed to
     * this zone's cluster key before the commit, so only the sealed form enters this zone's metadata.
     */
    private void applyIdentity(PeerClient peer, SyncEntry entry) {
        boolean secretMissing = entry.kind() == SyncEntry.Kind.ACCESS_KEY && entry.secret() == null;
        byte[] sealed = entry.kind() == SyncEntry.Kind.ACCESS_KEY && !secretMissing ? secrets.seal(entry.key(), entry.secret()) : null;
        try {
            await(objects.sync().applyRemoteIdentity(entry.withSecret(null), sealed));
        } catch (MooseException e) {
            throw secretMissing ? new MooseException(e.code(), e.getMessage() + ": " + peer.whySecretsMayNotCome()) : e;
        }
    }

    /** The bucket's sync rule here (bucket settings replicate, so every zone applies the same rule). */
    SyncRule ruleOf(String bucket) {
        return await(objects.recentBucket(bucket)).policy().syncRule();
    }

    /**
     * Whether this zone already holds this version of the key (by its id where it has one: an older version is kept as
     * noncurrent) or, for the key's one object, a later one: nothing to fetch.
     */
    private boolean haveAtLeast(SyncEntry entry) {
        try {
            ObjectInfo local = entry.versionId() != null
                    ? await(objects.version(entry.bucket(), entry.key(), entry.versionId())).object()
                    : await(objects.head(entry.bucket(), entry.key()));
            return local != null && !entry.stamp().after(local.manifest().effectiveStamp());
        } catch (RuntimeException e) {
            return false;
        }
    }

    static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw Failures.unwrap(e) instanceof RuntimeException r ? r : e;
        }
    }
}
