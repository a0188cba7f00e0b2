package io.mooseng.metadata.store;

import io.mooseng.core.error.MooseException;
import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.ListPage;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectKey;
import io.mooseng.core.model.ObjectSummary;
import io.mooseng.core.model.ObjectVersion;
import io.mooseng.core.model.VersionIds;
import io.mooseng.core.model.VersionListPage;
import io.mooseng.core.model.VersionListRequest;
import io.mooseng.metadata.codec.BinaryWriter;
import io.mooseng.metadata.store.KvView.Cursor;
import io.mooseng.metadata.store.NamespaceSchema.Table;
import io.mooseng.metadata.store.Versions.Row;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;

import static io.mooseng.metadata.store.NamespaceSchema.startsWith;
import static io.mooseng.metadata.store.NamespaceSchema.versionKey;
import static io.mooseng.metadata.store.NamespaceSchema.versionPrefix;

/**
 * One page of ListObjectVersions: a merge, in key order, of the tree's current objects (walked by
 * {@link Lister}, which rolls keys up into common prefixes) and the versions rows (each key's
 * newest first, already in the table's order). A key's current object comes before its rows.
 * Collects maxKeys + 1 entries, the extra one only telling that the page is truncated.
 */
final class VersionLister {
    private static final byte AFTER_ANY_NAME = (byte) 0xFF;

    private final KvView kv;
    private final Tree tree;
    private final Versions versions;
    private final BucketInfo bucket;
    private final VersionListRequest request;
    private final String marker;
    private final int limit;
    /** ObjectVersions and common prefixes (Strings), in order. */
    private final List<Object> entries = new ArrayList<>();

    private VersionLister(KvView kv, Tree tree, Versions versions, BucketInfo bucket, VersionListRequest request) {
        this.kv = kv;
        this.tree = tree;
        this.versions = versions;
        this.bucket = bucket;
        this.request = request;
        this.marker = request.keyMarker() == null || request.keyMarker().isEmpty() ? null : request.keyMarker();
        this.limit = request.maxKeys() + 1;
    }

    static VersionListPage list(KvView kv, Tree tree, Versions versions, BucketInfo bucket, VersionListRequest request) {
        VersionLister lister = new VersionLister(kv, tree, versions, bucket, request);
        if (request.maxKeys() > 0) {
            lister.run();
        }
        return lister.page();
    }

    private void run() {
        String versionMarker = request.versionIdMarker();
        if (marker != null && versionMarker != null && !versionMarker.isEmpty() && marker.startsWith(request.prefix())
                && rollUp(marker) == null) {
            resumeWithin(marker, versionMarker);
        }
        TreeNames current = new TreeNames();
        byte[] inPrefix = versionPrefix(bucket.name(), request.prefix());
        byte[] from = inPrefix;
        if (marker != null) {
            byte[] afterMarker = new BinaryWriter().raw(versionPrefix(bucket.name(), marker)).u8(1).toByteArray();
            from = Arrays.compareUnsigned(afterMarker, from) > 0 ? afterMarker : from;
        }
        try (Cursor rows = kv.seek(Table.VERSIONS, from)) {
            while (entries.size() < limit) {
                Row row = rows.valid() && startsWith(rows.key(), inPrefix) ? Versions.decode(rows.key(), bucket.name(), rows.value()) : null;
                String rowName = row == null ? null : nameOf(row.key());
                String treeName = current.peek();
                if (row == null && treeName == null) {
                    return;
                }
                int cmp = treeName == null ? 1 : rowName == null ? -1 : Utf8Order.compare(treeName, rowName);
                String name = cmp <= 0 ? treeName : rowName;
                if (cmp <= 0 ? current.peekIsPrefix() : !rowName.equals(row.key())) {
                    if (cmp <= 0 || marker == null || Utf8Order.compare(name, marker) > 0 && !marker.startsWith(name)) {
                        entries.add(name);
                    }
                    if (cmp <= 0) {
                        current.next();
                    }
                    if (cmp >= 0) {
                        rows.seek(new BinaryWriter().raw(versionPrefix(bucket.name(), name)).u8(AFTER_ANY_NAME).toByteArray());
                    }
                    continue;
                }
                boolean hasCurrent = cmp <= 0;
                if (hasCurrent) {
                    ObjectInfo object = tree.get(bucket, ObjectKey.parse(name));
                    entries.add(new ObjectVersion(name, VersionIds.of(object.manifest()), true, object.mtimeMillis(), object));
                    current.next();
                }
                if (cmp >= 0) {
                    long newest = row.sequence();
                    while (entries.size() < limit && rows.valid() && startsWith(rows.key(), inPrefix)) {
                        Row r = Versions.decode(rows.key(), bucket.name(), rows.value());
                        if (!r.key().equals(name)) {
                            break;
                        }
                        entries.add(versions.answer(bucket.name(), r, !hasCurrent && r.sequence() == newest));
                        rows.next();
                    }
                }
            }
        }
    }

    /** The versions of {@code key} after version {@code versionId}: where a page that ended inside the key resumes. */
    private void resumeWithin(String key, String versionId) {
        ObjectInfo object;
        try {
            object = tree.get(bucket, ObjectKey.parse(key));
        } catch (MooseException e) {
            object = null; // no current object (or a key the tree cannot hold, which has no versions either)
        }
        byte[] from;
        boolean afterCurrent = object != null && VersionIds.of(object.manifest()).equals(versionId);
        if (afterCurrent) {
            from = versionPrefix(bucket.name(), key + "\0");
        } else {
            OptionalLong sequence = versions.find(bucket.name(), key, versionId).map(r -> OptionalLong.of(r.sequence()))
                    .orElse(VersionIds.NULL.equals(versionId) ? OptionalLong.empty() : VersionIds.sequence(versionId));
            if (sequence.isEmpty()) {
                return;
            }
            from = new BinaryWriter().raw(versionKey(bucket.name(), key, sequence.getAsLong())).u8(0).toByteArray();
        }
        byte[] ofKey = versionPrefix(bucket.name(), key + "\0");
        Long newest = object != null ? null : versions.newest(bucket.name(), key).map(Row::sequence).orElse(null);
        try (Cursor rows = kv.seek(Table.VERSIONS, from)) {
            for (; entries.size() < limit && rows.valid() && startsWith(rows.key(), ofKey); rows.next()) {
                Row r = Versions.decode(rows.key(), bucket.name(), rows.value());
                entries.add(versions.answer(bucket.name(), r, newest != null && r.sequence() == newest));
            }
        }
    }

    /** A key as listed: itself, or the common prefix it rolls up into. */
    private String nameOf(String key) {
        String common = rollUp(key);
        return common != null ? common : key;
    }

    private String rollUp(String key) {
        String delimiter = request.delimiter();
        if (delimiter == null || delimiter.isEmpty()) {
            return null;
        }
        int at = key.indexOf(delimiter, request.prefix().length());
        return at < 0 ? null : key.substring(0, at + delimiter.length());
    }

    private VersionListPage page() {
        boolean truncated = entries.size() > request.maxKeys();
        List<Object> shown = truncated ? entries.subList(0, request.maxKeys()) : entries;
        List<ObjectVersion> out = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (Object e : shown) {
            if (e instanceof ObjectVersion v) {
                out.add(v);
            } else {
                prefixes.add((String) e);
            }
        }
        if (!truncated) {
            return new VersionListPage(out, prefixes, false, null, null);
        }
        Object last = shown.getLast();
        return last instanceof ObjectVersion v ? new VersionListPage(out, prefixes, true, v.key(), v.versionId())
                : new VersionListPage(out, prefixes, true, (String) last, null);
    }

    /** The tree's keys and common prefixes after the key marker, in order, a page of the tree's listing at a time. */
    private final class TreeNames {
        private final Deque<Object> ahead = new ArrayDeque<>(); // ObjectSummary or String
        private String after = marker;
        private boolean more = true;

        String peek() {
            fill();
            Object next = ahead.peekFirst();
            return next == null ? null : next instanceof ObjectSummary s ? s.key() : (String) next;
        }

        boolean peekIsPrefix() {
            return ahead.peekFirst() instanceof String;
        }

        void next() {
            ahead.pollFirst();
        }

        private void fill() {
            if (!ahead.isEmpty() || !more) {
                return;
            }
            ListPage page = Lister.list(kv, tree, bucket.inode(), new ListRequest(request.prefix(), request.delimiter(), after,
                    Math.min(limit, 1000)));
            int o = 0;
            int p = 0;
            List<ObjectSummary> objects = page.objects();
            List<String> prefixes = page.commonPrefixes();
            while (o < objects.size() || p < prefixes.size()) {
                boolean object = p >= prefixes.size() || o < objects.size() && Utf8Order.compare(objects.get(o).key(), prefixes.get(p)) < 0;
                ahead.addLast(object ? objects.get(o++) : prefixes.get(p++));
            }
            more = page.truncated();
            after = page.nextStartAfter();
        }
    }
}
