package io.mooseng.core.model;

import java.util.OptionalLong;

/**
 * S3 version ids: 13 URL-safe characters (Crockford's base32) of the version's sequence number
 * (the inode id the metadata service gives the version, or a delete marker's), inverted, so a
 * newer version's id sorts before an older one's: the order the versions table keeps and
 * ListObjectVersions answers. {@link #NULL} names the version written while a bucket was
 * unversioned or suspended.
 */
public final class VersionIds {
    public static final String NULL = "null";

    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int LENGTH = 13;

    private VersionIds() {
    }

    /** @param sequence a positive sequence number */
    public static String of(long sequence) {
        if (sequence <= 0) {
            throw new IllegalArgumentException("sequence " + sequence);
        }
        long v = Long.MAX_VALUE - sequence;
        char[] out = new char[LENGTH];
        for (int i = LENGTH - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (v & 31));
            v >>>= 5;
        }
        return new String(out);
    }

    /**
     * The id of a version written in {@code zone} ("" outside a zonegroup: {@link #of(long)}): its sequence mixed with a
     * hash of the zone's name, since zones number their versions independently and a peer keeps a version under the
     * id its origin gave it, so two zones must not give one key's different versions one id. Such ids do not sort by
     * sequence; the versions table finds them by a scan of the key's rows.
     */
    public static String minted(long sequence, String zone) {
        if (zone.isEmpty()) {
            return of(sequence);
        }
        long mixed = sequence ^ zoneMask(zone);
        return of(mixed > 0 ? mixed : sequence);
    }

    /** 62 bits of SHA-256 of the zone's name: far above any sequence a cluster reaches, so mixed ids of two zones differ. */
    private static long zoneMask(String zone) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(zone.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(h).getLong() >>> 2;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The sequence number of a version id; empty for {@link #NULL} and for anything that is not an id. */
    public static OptionalLong sequence(String id) {
        if (id == null || id.length() != LENGTH) {
            return OptionalLong.empty();
        }
        long v = 0;
        for (int i = 0; i < LENGTH; i++) {
            int d = ALPHABET.indexOf(id.charAt(i));
            if (d < 0 || (i == 0 && d > 7)) {
                return OptionalLong.empty();
            }
            v = (v << 5) | d;
        }
        long sequence = Long.MAX_VALUE - v;
        return sequence > 0 ? OptionalLong.of(sequence) : OptionalLong.empty();
    }

    /** Whether {@code id} is {@link #NULL} or a well-formed id. */
    public static boolean valid(String id) {
        return NULL.equals(id) || sequence(id).isPresent();
    }

    /** The id a manifest's version answers: its own, or {@link #NULL}. */
    public static String of(ObjectManifest m) {
        return m.versionId() == null ? NULL : m.versionId();
    }
}
