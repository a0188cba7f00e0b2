package io.mooseng.metadata;

import io.mooseng.core.model.AccessKeyRecord;
import io.mooseng.metadata.codec.BinaryReader;
import io.mooseng.metadata.codec.BinaryWriter;
import io.mooseng.metadata.codec.ModelCodec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Access keys carry a verifier of their secret (for mounts); keys stored before verifiers read as they were. */
class AccessKeyCodecTest {
    private static List<AccessKeyRecord> roundTrip(List<AccessKeyRecord> keys) {
        BinaryWriter w = new BinaryWriter();
        ModelCodec.ACCESS_KEY.list().write(w, keys);
        BinaryReader r = new BinaryReader(w.toByteArray());
        List<AccessKeyRecord> read = ModelCodec.ACCESS_KEY.list().read(r);
        r.expectEnd();
        return read;
    }

    @Test
    void aVerifierTravelsWithItsKeyAndOlderKeysReadWithout() {
        AccessKeyRecord verified = AccessKeyRecord.create("AKIAVERIFIED", "alice", new byte[] {1, 2}, "s3cr3t-s3cr3t", 10, 99);
        AccessKeyRecord never = AccessKeyRecord.create("AKIANEVER", "alice", new byte[] {3}, "other", 11, 0);
        AccessKeyRecord older = new AccessKeyRecord("AKIAOLD", "bob", new byte[] {4}, 12, 77, null);
        List<AccessKeyRecord> read = roundTrip(List.of(verified, never, older));
        assertArrayEquals(verified.verifier(), read.get(0).verifier());
        assertEquals(99, read.get(0).expiresMillis());
        assertEquals(0, read.get(1).expiresMillis());
        assertTrue(read.get(0).verifies("s3cr3t-s3cr3t"));
        assertFalse(read.get(0).verifies("s3cr3t-s3cr3"));
        assertNull(read.get(2).verifier());
        assertFalse(read.get(2).verifies("anything"), "a key without a verifier verifies no secret");

        // a key as written before verifiers existed
        byte[] before = new BinaryWriter().string("AKIAOLD").string("bob").bytes(new byte[] {4}).zigzag(12).zigzag(77).toByteArray();
        BinaryReader r = new BinaryReader(before);
        AccessKeyRecord k = ModelCodec.ACCESS_KEY.read(r);
        r.expectEnd();
        assertEquals(List.of("AKIAOLD", "bob", 12L, 77L), List.of(k.accessKey(), k.user(), k.createdMillis(), k.expiresMillis()));
        assertNull(k.verifier());
    }

    @Test
    void aDisabledKeyReadsDisabledWithItsTimes() {
        AccessKeyRecord verified = AccessKeyRecord.create("AKIAOFF", "alice", new byte[] {1}, "s3cr3t-s3cr3t", 10, 99).withEnabled(false);
        AccessKeyRecord older = new AccessKeyRecord("AKIAOLDOFF", "bob", new byte[] {4}, 0, 0, null).withEnabled(false);
        AccessKeyRecord on = AccessKeyRecord.create("AKIAON", "alice", new byte[] {1}, "s3cr3t-s3cr3t", 10, 0);
        List<AccessKeyRecord> read = roundTrip(List.of(verified, older, on));
        assertEquals(List.of(false, false, true), read.stream().map(AccessKeyRecord::enabled).toList());
        assertEquals(List.of(10L, 0L, 10L), read.stream().map(AccessKeyRecord::createdMillis).toList());
        assertEquals(99, read.get(0).expiresMillis());
        assertTrue(read.get(0).verifies("s3cr3t-s3cr3t"));
        assertTrue(read.get(0).withEnabled(true).enabled());
    }

    @Test
    void aVerifierIsBoundToItsKeyId() {
        AccessKeyRecord k = AccessKeyRecord.create("AKIA1", "alice", new byte[] {1}, "secret", 1, 0);
        AccessKeyRecord moved = new AccessKeyRecord("AKIA2", "alice", new byte[] {1}, 1, 0, k.verifier());
        assertFalse(moved.verifies("secret"), "a verifier copied to another key id does not verify its secret");
    }
}
