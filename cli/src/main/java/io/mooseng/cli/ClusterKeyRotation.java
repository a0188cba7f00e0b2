package io.mooseng.cli;

import io.mooseng.core.crypto.KeyRing;
import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.Failures;
import io.mooseng.core.error.MooseException;
import io.mooseng.core.metadata.MetadataService;
import io.mooseng.core.model.AccessKeyRecord;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.IdentitySnapshot;
import io.mooseng.core.model.ListPage;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.MultipartUpload;
import io.mooseng.core.model.ObjectEncryption;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectVersion;
import io.mooseng.core.model.VersionListPage;
import io.mooseng.core.model.VersionListRequest;
import io.mooseng.core.model.ObjectSummary;
import io.mooseng.core.model.TrashEntry;
import io.mooseng.core.security.SecretBox;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Moves the cluster from one cluster key to another without rewriting data: only what is sealed
 * to the key changes, the SSE-S3 data keys in manifests and users' secrets; the content stays
 * encrypted under the same data keys, so no shard or inline byte is touched.
 *
 * <p>Order: the new public key is registered first, so gateways (which hold both pairs during a
 * rotation) seal what they write from then on to the new key; after a grace of two identity
 * polls, every access key and every SSE-S3 object (linked or in a trash) is re-sealed, each
 * committed only if it still holds the wrapped key read (a concurrent overwrite or revocation wins, and is read again). Anything
 * already sealed to the new key is skipped, so a second run, or one after a crash, finishes
 * the job; a write already under way at the registration may still land sealed to the old key
 * after the pass went by, which the next run finds.
 */
final class ClusterKeyRotation {
    private static final int PAGE = 1000;
    private static final int ATTEMPTS = 3;
    /** Objects re-sealed at once. */
    private static final int WINDOW = 32;
    /** Twice the gateways' identity poll ({@code NamespaceCredentials}). */
    private static final Duration GATEWAYS_LEARN = Duration.ofSeconds(2);

    private final MetadataService metadata;
    private final KeyPair from;
    private final KeyPair to;
    private final Consumer<String> progress;

    /** What a run did; {@code unopenable} names what opens with neither key (left as it is). */
    record Summary(boolean registered, int accessKeys, int accessKeysResealed, long encryptedObjects, long objectsResealed,
                   long objectsChanged, List<String> unopenable) {
        long resealed() {
            return accessKeysResealed + objectsResealed;
        }
    }

    ClusterKeyRotation(MetadataService metadata, KeyPair from, KeyPair to, Consumer<String> progress) {
        this.metadata = metadata;
        this.from = from;
        this.to = to;
        this.progress = progress;
    }

    Summary run() throws Exception {
        byte[] oldKey = from.getPublic().getEncoded();
        byte[] newKey = to.getPublic().getEncoded();
        if (Arrays.equals(oldKey, newKey)) {
            throw new IllegalArgumentException("--old and --new are the same key");
        }
        IdentitySnapshot ids = await(metadata.identities(-1));
        if (!Arrays.equals(ids.clusterKey(), oldKey) && !Arrays.equals(ids.clusterKey(), newKey)) {
            throw new IllegalArgumentException("the cluster registers neither the --old nor the --new key: give the key gateways hold now as --old");
        }
        boolean registered = await(metadata.registerClusterKey(oldKey, newKey));
        if (registered) {
            progress.accept("registered the new cluster key; waiting " + GATEWAYS_LEARN.toSeconds() + " s for gateways to learn of it");
            // gateways poll the identities each second: after this, only writes already under way seal to the old key
            Thread.sleep(GATEWAYS_LEARN);
        } else {
            progress.accept("the new cluster key was registered already (a repeated or resumed rotation)");
        }

        List<String> unopenable = Collections.synchronizedList(new ArrayList<>());
        int resealedKeys = 0;
        List<AccessKeyRecord> keys = await(metadata.identities(-1)).keys();
        for (AccessKeyRecord k : keys) {
            if (resealKey(k, unopenable)) {
                resealedKeys++;
            }
        }
        progress.accept("access keys: " + resealedKeys + " of " + keys.size() + " re-sealed");

        ObjectPass objects = new ObjectPass(unopenable);
        try (objects) {
            for (BucketInfo b : await(metadata.listBuckets())) {
                try {
                    submitBucket(b, objects);
                } catch (MooseException e) {
                    if (e.code() != ErrorCode.NO_SUCH_BUCKET) {
                        throw e;
                    }
                    continue; // deleted meanwhile
                }
                progress.accept("bucket " + b.name() + " listed: " + objects.encrypted + " SSE-S3 objects so far, " + objects.resealed
                        + " re-sealed");
            }
        }
        objects.rethrow();
        return new Summary(registered, keys.size(), resealedKeys, objects.encrypted.get(), objects.resealed.get(), objects.changed.get(),
                List.copyOf(unopenable));
    }

    /** Every object of the bucket, its noncurrent versions, then every version in its trash. */
    private void submitBucket(BucketInfo b, ObjectPass objects) throws Exception {
        String bucket = b.name();
        String after = null;
        do {
            ListPage page = await(metadata.listObjects(bucket, new ListRequest("", null, after, PAGE)));
            for (ObjectSummary s : page.objects()) {
                objects.submit(() -> metadata.getObject(bucket, ObjectKey.parse(s.key())));
            }
            after = page.truncated() ? page.nextStartAfter() : null;
        } while (after != null);
        if (b.policy().versioning().keepsVersions()) {
            submitNoncurrentVersions(bucket, objects);
        }
        for (TrashEntry t : await(metadata.listTrash(bucket))) {
            objects.submit(() -> metadata.trashedObject(bucket, t.inode()));
        }
        for (MultipartUpload u : await(metadata.listMultipartUploads(bucket, ""))) {
            resealUpload(u, objects);
        }
    }

    private void submitNoncurrentVersions(String bucket, ObjectPass objects) throws Exception {
        String keyMarker = null;
        String versionMarker = null;
        VersionListPage page;
        do {
            page = await(metadata.listObjectVersions(bucket, new VersionListRequest("", null, keyMarker, versionMarker, PAGE)));
            for (ObjectVersion v : page.versions()) {
                if (!v.deleteMarker() && !v.latest()) {
                    objects.submit(() -> metadata.getObjectVersion(bucket, ObjectKey.parse(v.key()), v.versionId())
                            .thenApply(ObjectVersion::object));
                }
            }
            keyMarker = page.nextKeyMarker();
            versionMarker = page.nextVersionIdMarker();
        } while (page.truncated());
    }

    /** An SSE-S3 upload in progress: its parts are under its data key, which completion gives the object. */
    private void resealUpload(MultipartUpload u, ObjectPass objects) throws Exception {
        ObjectEncryption e = u.encryption();
        if (e == null || e.mode() != ObjectEncryption.Mode.SSE_S3) {
            return;
        }
        objects.encrypted.incrementAndGet();
        Optional<ObjectEncryption> next;
        try {
            next = KeyRing.reseal(e, from, to);
        } catch (GeneralSecurityException x) {
            objects.unopenable.add("upload " + u.uploadId() + " of " + u.bucket() + "/" + u.key());
            return;
        }
        // false: completed or aborted meanwhile (a completed one is then an object, re-sealed by the next run)
        if (next.isPresent() && await(metadata.resealUpload(u.bucket(), u.key(), u.uploadId(), e.wrappedKey(), next.get().wrappedKey()))) {
            objects.resealed.incrementAndGet();
        }
    }

    private boolean resealKey(AccessKeyRecord k, List<String> unopenable) throws Exception {
        Optional<byte[]> sealed;
        try {
            sealed = SecretBox.reseal(k.sealedSecret(), AccessKeyRecord.sealContext(k.accessKey()), from, to);
        } catch (GeneralSecurityException e) {
            unopenable.add("access key " + k.accessKey());
            return false;
        }
        // false: revoked meanwhile (nothing to do) or replaced (sealed by its writer to the registered key)
        return sealed.isPresent() && await(metadata.resealAccessKey(k.accessKey(), k.sealedSecret(), sealed.get()));
    }

    /**
     * Re-seals objects {@link #WINDOW} at a time (virtual threads), so the metadata writes
     * pipeline and the X25519 work spreads over the cores; closing waits for them all.
     */
    private final class ObjectPass implements AutoCloseable {
        final List<String> unopenable;
        final AtomicLong encrypted = new AtomicLong();
        final AtomicLong resealed = new AtomicLong();
        final AtomicLong changed = new AtomicLong();
        private final Semaphore window = new Semaphore(WINDOW);
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        ObjectPass(List<String> unopenable) {
            this.unopenable = unopenable;
        }

        void submit(Supplier<CompletableFuture<ObjectInfo>> read) throws Exception {
            rethrow();
            window.acquire();
            threads.execute(() -> {
                try {
                    reseal(read);
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                } finally {
                    window.release();
                }
            });
        }

        /** The first failure of a re-seal, if any (the pass stops submitting then). */
        void rethrow() throws Exception {
            Exception e = failure.get();
            if (e != null) {
                throw e;
            }
        }

        /** Re-seals the version {@code read} answers; a concurrent change makes it read again. */
        private void reseal(Supplier<CompletableFuture<ObjectInfo>> read) throws Exception {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                ObjectInfo o;
                try {
                    o = await(read.get());
                } catch (MooseException e) {
                    if (e.code() == ErrorCode.NO_SUCH_KEY || e.code() == ErrorCode.NO_SUCH_BUCKET) {
                        return; // deleted or purged meanwhile
                    }
                    throw e;
                }
                ObjectEncryption e = o.manifest() == null ? null : o.manifest().encryption();
                if (e == null || e.mode() != ObjectEncryption.Mode.SSE_S3) {
                    return;
                }
                if (attempt == 0 && encrypted.incrementAndGet() % 10_000 == 0) {
                    progress.accept(encrypted + " SSE-S3 objects, " + resealed + " re-sealed");
                }
                Optional<ObjectEncryption> next;
                try {
                    next = KeyRing.reseal(e, from, to);
                } catch (GeneralSecurityException x) {
                    unopenable.add(o.bucket() + "/" + o.key());
                    return;
                }
                if (next.isEmpty()) {
                    return;
                }
                if (await(metadata.resealObject(o.bucket(), o.inode(), e.wrappedKey(), next.get().wrappedKey()))) {
                    resealed.incrementAndGet();
                    return;
                }
            }
            changed.incrementAndGet();
        }

        @Override
        public void close() {
            threads.close();
        }
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw Failures.unwrap(e) instanceof Exception x ? x : e;
        }
    }
}
