package io.mooseng.metadata;

import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.InodeUpdate;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectLock;
import io.mooseng.core.model.ObjectLockConfig;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.RenameMode;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.Versioning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static io.mooseng.core.error.ErrorCode.INVALID_BUCKET_STATE;
import static io.mooseng.core.error.ErrorCode.OBJECT_LOCKED;
import static io.mooseng.metadata.Fixtures.ecBlock;
import static io.mooseng.metadata.Fixtures.assertFails;
import static io.mooseng.metadata.Fixtures.join;
import static io.mooseng.metadata.Fixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The state machine's object lock rules, whoever asks: S3's deletes and retention changes, the mount's changes, the bucket setting. */
@Timeout(60)
class ObjectLockRulesTest extends SingleMasterTest {
    private static final StorageClass EC = Fixtures.EC_2_1;

    private static ObjectManifest manifest(ObjectLock lock) {
        return new ObjectManifest(100, "e", System.currentTimeMillis(), ObjectProperties.EMPTY.withLock(lock), EC,
                List.of(ecBlock()), null);
    }

    private static String lockedBucket(String name, ObjectLockConfig config) {
        join(meta.createBucket(name, EC, 1));
        join(meta.setBucketPolicy(name, BucketPolicy.of(EC).withTrashRetention(0).withObjectLock(config)));
        return name;
    }

    @Test
    void theBucketKeepsVersioningAndItsLockAndIsNeverLeased() {
        String b = lockedBucket("rules-bucket", ObjectLockConfig.ENABLED);
        BucketPolicy p = join(meta.getBucket(b)).policy();
        assertEquals(Versioning.ENABLED, p.versioning());
        assertFails(INVALID_BUCKET_STATE, meta.setBucketPolicy(b, p.withVersioning(Versioning.SUSPENDED)));
        assertFails(INVALID_BUCKET_STATE, group.cluster().holderClient().acquireLease(b, null));
    }

    @Test
    void aRetentionHoldsUntilItsDateAndCompliancesOnlyGrows() throws Exception {
        String b = lockedBucket("rules-retention", new ObjectLockConfig(ObjectLock.Mode.COMPLIANCE, 1, 0));
        ObjectInfo byDefault = join(meta.putObject(b, key("d"), manifest(ObjectLock.NONE))).object();
        assertEquals(ObjectLock.Mode.COMPLIANCE, byDefault.manifest().lock().mode());
        String v = byDefault.manifest().versionId();
        assertFails(OBJECT_LOCKED, meta.deleteObjectVersion(b, key("d"), v, null, true));
        long until = byDefault.manifest().lock().retainUntilMillis();
        assertFails(OBJECT_LOCKED, meta.setObjectRetention(b, key("d"), v, ObjectLock.Mode.COMPLIANCE, until - 1, true));
        assertFails(OBJECT_LOCKED, meta.setObjectRetention(b, key("d"), v, null, 0, true));
        assertEquals(until + 1, join(meta.setObjectRetention(b, key("d"), v, ObjectLock.Mode.COMPLIANCE, until + 1, false))
                .manifest().lock().retainUntilMillis());
        // a re-code or tag change never changes the lock
        ObjectInfo current = join(meta.getObject(b, key("d")));
        ObjectManifest unlocked = current.manifest().withLock(ObjectLock.NONE);
        join(meta.replaceManifest(b, key("d"), current.inode(), unlocked.withAttributes(unlocked.mtimeMillis(),
                unlocked.properties().withTags(Map.of("t", "v")), unlocked.posix())));
        assertEquals(until + 1, join(meta.getObject(b, key("d"))).manifest().lock().retainUntilMillis());

        // a short GOVERNANCE retention: refused without the bypass while it holds, free once its date passed
        long soon = System.currentTimeMillis() + 1_500;
        ObjectInfo gov = join(meta.putObject(b, key("g"), manifest(new ObjectLock(ObjectLock.Mode.GOVERNANCE, soon, false)))).object();
        assertFails(OBJECT_LOCKED, meta.deleteObjectVersion(b, key("g"), gov.manifest().versionId(), null, false));
        Thread.sleep(Math.max(0, soon - System.currentTimeMillis() + 50));
        join(meta.deleteObjectVersion(b, key("g"), gov.manifest().versionId(), null, false));
    }

    @Test
    void theMountNeitherRemovesRenamesNorRewritesALockedFile() {
        String b = lockedBucket("rules-mount", ObjectLockConfig.ENABLED);
        ObjectInfo held = join(meta.putObject(b, key("f"), manifest(ObjectLock.NONE.withLegalHold(true)))).object();
        assertFails(OBJECT_LOCKED, meta.unlink(b, key("f"), false, 1));
        assertFails(OBJECT_LOCKED, meta.rename(b, key("f"), key("g"), RenameMode.REPLACE, 1));
        join(meta.putObject(b, key("other"), manifest(ObjectLock.NONE)));
        assertFails(OBJECT_LOCKED, meta.rename(b, key("other"), key("f"), RenameMode.REPLACE, 1));
        assertFails(OBJECT_LOCKED, meta.updateInode(b, held.inode(), InodeUpdate.content(manifest(ObjectLock.NONE), 1)));
        join(meta.putObject(b, key("dir/inside"), manifest(ObjectLock.NONE)));
        assertFails(OBJECT_LOCKED, meta.rename(b, key("dir"), key("moved"), RenameMode.REPLACE, 1));
        // by its twin name beside a directory of its name, too
        join(meta.putObject(b, key("f/under"), manifest(ObjectLock.NONE)));
        assertFails(OBJECT_LOCKED, meta.unlink(b, key("f.~object"), false, 1));
        assertFails(OBJECT_LOCKED, meta.rename(b, key("f.~object"), key("g"), RenameMode.REPLACE, 1));
        // attributes are no content
        join(meta.updateInode(b, held.inode(), new InodeUpdate(null, 0600, null, null, null, null, null, 1)));
        join(meta.setObjectLegalHold(b, key("f"), null, false));
        join(meta.unlink(b, key("f.~object"), false, 1));
    }
}
