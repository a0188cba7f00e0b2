package io.mooseng.metadata;

import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.NotificationRule;
import io.mooseng.core.model.ObjectLock;
import io.mooseng.core.model.ObjectLockConfig;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.model.Versioning;
import io.mooseng.metadata.codec.BinaryReader;
import io.mooseng.metadata.codec.BinaryWriter;
import io.mooseng.metadata.codec.Codec;
import io.mooseng.metadata.codec.ModelCodec;
import io.mooseng.metadata.command.CommandCodec;
import io.mooseng.metadata.command.MetadataCommand;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** S3 Object Lock in stored values: a version's lock in its properties, a bucket's configuration in its policy, and its commands. */
class ObjectLockCodecTest {
    private static <T> byte[] encode(Codec<T> codec, T value) {
        BinaryWriter w = new BinaryWriter();
        codec.write(w, value);
        return w.toByteArray();
    }

    private static <T> T decode(Codec<T> codec, byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        T value = codec.read(r);
        r.expectEnd();
        return value;
    }

    @Test
    void propertiesCarryALockOnlyWhenThereIsOne() {
        ObjectProperties plain = new ObjectProperties("text/plain", Map.of(), Map.of("a", "b"), Map.of("t", "v"));
        for (ObjectLock lock : List.of(new ObjectLock(ObjectLock.Mode.COMPLIANCE, 1_900_000_000_000L, false),
                new ObjectLock(ObjectLock.Mode.GOVERNANCE, 1_800_000_000_000L, true), ObjectLock.NONE.withLegalHold(true))) {
            assertEquals(plain.withLock(lock), decode(ModelCodec.PROPERTIES, encode(ModelCodec.PROPERTIES, plain.withLock(lock))));
        }
        assertArrayEquals(encode(ModelCodec.PROPERTIES, plain), encode(ModelCodec.PROPERTIES, plain.withLock(ObjectLock.NONE)),
                "a value without a lock is written as before");
    }

    @Test
    void bucketPoliciesCarryTheLockConfigurationLastBesideTheOtherSecondByteFields() {
        BucketPolicy versioned = BucketPolicy.of(StorageClass.replicated(2)).withVersioning(Versioning.ENABLED)
                .withNotifications(List.of(new NotificationRule("r", "hook", List.of("s3:ObjectCreated:*"), "", "")));
        for (ObjectLockConfig config : List.of(ObjectLockConfig.ENABLED, new ObjectLockConfig(ObjectLock.Mode.GOVERNANCE, 3, 0),
                new ObjectLockConfig(ObjectLock.Mode.COMPLIANCE, 0, 2))) {
            BucketPolicy locked = versioned.withObjectLock(config);
            assertEquals(locked, decode(ModelCodec.BUCKET_POLICY, encode(ModelCodec.BUCKET_POLICY, locked)));
            byte[] bytes = encode(ModelCodec.BUCKET_POLICY, locked);
            byte[] without = encode(ModelCodec.BUCKET_POLICY, versioned);
            // the same fields, then the configuration appended at the end
            assertEquals(without.length + 3, bytes.length);
        }
    }

    @Test
    void lockCommandsRoundTripUnderTheirOwnTags() {
        var bypassing = new MetadataCommand.DeleteObjectVersion("b", "k", "v", 5, null, true);
        var retention = new MetadataCommand.SetObjectRetention("b", "k", null, ObjectLock.Mode.COMPLIANCE, 9_000, false, 7);
        var removal = new MetadataCommand.SetObjectRetention("b", "k", "v", null, 0, true, 7);
        var hold = new MetadataCommand.SetObjectLegalHold("b", "k", "v", true);
        for (MetadataCommand<?> c : List.of(bypassing, retention, removal, hold)) {
            assertEquals(c, CommandCodec.decode(CommandCodec.encode(c)));
        }
        assertEquals(80, CommandCodec.encode(new MetadataCommand.DeleteObjectVersion("b", "k", "v", 5, null))[1]);
        assertEquals(110, CommandCodec.encode(bypassing)[1]);
        assertEquals(111, CommandCodec.encode(retention)[1]);
        assertEquals(112, CommandCodec.encode(hold)[1]);
    }
}
