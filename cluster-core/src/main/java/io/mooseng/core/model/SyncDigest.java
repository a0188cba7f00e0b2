package io.mooseng.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Anti-entropy's view of one range of a bucket's current state (objects and tombstones), as two
 * zones compare it. A key's place is the hex form of the SHA-256 of its name, so both zones
 * place a key alike whatever else they hold; a range is a prefix of that form (the root: ""),
 * and its 16 children append one hex digit. A child's hash is the sum of its entries' hashes
 * (key, stamp, kind, ETag): equal state, equal sums, whatever order the entries were read in.
 * One page covers the bucket's listing from a key on: {@link #next} says where the next begins.
 *
 * @param hashes  per child range, the sum of its entries' hashes
 * @param counts  per child range, its entries
 * @param entries when asked for: the page's entries in the range, in key order
 * @param next    the key the next page starts after; null when the listing is complete
 */
public record SyncDigest(long[] hashes, long[] counts, List<SyncEntry> entries, String next) {
    public static final int CHILDREN = 16;
    /** Deepest range: 15 hex digits, whose children still have a digit of the 16 the place keeps. */
    public static final int MAX_RANGE = 15;

    public SyncDigest {
        if (hashes.length != CHILDREN || counts.length != CHILDREN) {
            throw new IllegalArgumentException("a digest has " + CHILDREN + " children");
        }
        entries = List.copyOf(entries);
    }

    public static SyncDigest empty() {
        return new SyncDigest(new long[CHILDREN], new long[CHILDREN], List.of(), null);
    }

    /** @throws IllegalArgumentException unless {@code range} is up to {@value #MAX_RANGE} lower-case hex digits */
    public static String checkRange(String range) {
        if (range.length() > MAX_RANGE || !range.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            throw new IllegalArgumentException("a range is up to " + MAX_RANGE + " lower-case hex digits: " + range);
        }
        return range;
    }

    /** Where a key sits: 16 hex digits of the SHA-256 of its name. */
    public static String place(String key) {
        return HexFormat.of().formatHex(sha256(key), 0, 8);
    }

    /** The child of {@code range} holding a key placed at {@code place}, or -1 when the key is outside the range. */
    public static int childOf(String range, String place) {
        return place.startsWith(range) ? Character.digit(place.charAt(range.length()), 16) : -1;
    }

    /** An entry's contribution to its range's hash: what LWW compares (stamp) and what the content is (ETag). */
    public static long hash(SyncEntry e) {
        byte[] h = sha256(e.key() + '\0' + e.stamp() + '\0' + e.kind() + '\0' + e.etag());
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (h[i] & 0xff);
        }
        return v;
    }

    /**
     * Whether two zones compare an entry: the bucket's rule lets a change of its key made in its
     * origin zone reach both (an entry only one of them should hold is not drift).
     */
    public static boolean compared(SyncRule rule, SyncEntry e, String zoneA, String zoneB) {
        return rule.flows(e.originZone(), zoneA, e.key(), e.objectTags()) && rule.flows(e.originZone(), zoneB, e.key(), e.objectTags());
    }

    /** This page and the next one of the same range together. */
    public SyncDigest plus(SyncDigest page) {
        long[] h = hashes.clone();
        long[] c = counts.clone();
        for (int i = 0; i < CHILDREN; i++) {
            h[i] += page.hashes[i];
            c[i] += page.counts[i];
        }
        List<SyncEntry> all = new ArrayList<>(entries);
        all.addAll(page.entries);
        return new SyncDigest(h, c, all, page.next);
    }

    /** Whether the child range holds the same state as {@code other}'s. */
    public boolean sameChild(SyncDigest other, int child) {
        return hashes[child] == other.hashes[child] && counts[child] == other.counts[child];
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
