package io.mooseng.metadata.store;

import io.mooseng.core.model.ListPage;
import io.mooseng.core.model.ListRequest;
import io.mooseng.core.model.ObjectManifest;
import io.mooseng.core.model.ObjectSummary;
import io.mooseng.metadata.codec.BinaryWriter;
import io.mooseng.metadata.store.KvView.Cursor;
import io.mooseng.metadata.store.NamespaceSchema.Table;

import java.util.ArrayList;
import java.util.List;

import static io.mooseng.metadata.store.NamespaceSchema.decodeDentry;
import static io.mooseng.metadata.store.NamespaceSchema.dentryKey;
import static io.mooseng.metadata.store.NamespaceSchema.dentryPrefix;
import static io.mooseng.metadata.store.NamespaceSchema.dentrySortName;
import static io.mooseng.metadata.store.NamespaceSchema.startsWith;
import static io.mooseng.metadata.store.NamespaceSchema.utf8;

/**
 * One page of an S3 listing, produced by a depth-first walk of the tree (which yields keys
 * in byte order, see {@link NamespaceSchema}). The walk only visits what can contribute:
 * it starts at the deepest directory the prefix names, seeks past entries up to
 * {@code startAfter} at every level on its path, and emits a directory whose path already
 * contains the delimiter as one common prefix without descending. It stops after
 * maxKeys + 1 entries, the extra one only telling that the page is truncated.
 */
final class Lister {
    private static final byte AFTER_ANY_NAME = (byte) 0xFF; // no UTF-8 byte, so it sorts after every name byte

    private final KvView kv;
    private final Tree tree;
    private final String prefix;
    private final String delimiter;
    private final String startAfter;
    private final int maxKeys;
    private final List<Entry> entries = new ArrayList<>();

    /** A key (summary present) or a common prefix (summary null). */
    private record Entry(String name, ObjectSummary summary) {
    }

    private Lister(KvView kv, Tree tree, ListRequest request) {
        this.kv = kv;
        this.tree = tree;
        this.prefix = request.prefix();
        this.delimiter = request.delimiter();
        this.startAfter = request.startAfter();
        this.maxKeys = Math.max(0, request.maxKeys());
    }

    static ListPage list(KvView kv, Tree tree, long root, ListRequest request) {
        Lister lister = new Lister(kv, tree, request);
        if (lister.maxKeys > 0) {
            lister.run(root);
        }
        return lister.page();
    }

    private void run(long root) {
        int slash = prefix.lastIndexOf('/');
        String dirPath = prefix.substring(0, slash + 1);
        long dir = root;
        if (!dirPath.isEmpty()) {
            for (String name : dirPath.substring(0, dirPath.length() - 1).split("/", -1)) {
                Long child = tree.directory(dir, name);
                if (child == null) {
                    return;
                }
                dir = child;
            }
        }
        visit(dir, dirPath, prefix.substring(slash + 1));
    }

    /**
     * Lists directory {@code dir} at {@code path} (ending in "/", or "" for the root),
     * restricted to children whose sort name starts with {@code rest}.
     */
    private void visit(long dir, String path, String rest) {
        if (rest.isEmpty() && !path.isEmpty()) {
            InodeRecord self = tree.inode(dir);
            if (self.explicit()) {
                offer(path, summary(path, self.manifest()));
            }
        }
        byte[] base = dentryPrefix(dir);
        byte[] restBytes = utf8(rest);
        try (Cursor c = kv.seekWithin(Table.DENTRIES, base, dentryKey(dir, seekName(path, rest)))) {
            while (!full() && c.valid() && startsWith(c.key(), base) && sortNameStartsWith(c.key(), restBytes)) {
                String sortName = dentrySortName(c.key());
                String key = path + sortName;
                String common = commonPrefix(key);
                if (common != null) {
                    offer(common, null);
                    // every sibling starting like this rolls up into the same prefix: skip them
                    c.seek(new BinaryWriter().raw(dentryKey(dir, common.substring(path.length()))).u8(AFTER_ANY_NAME).toByteArray());
                    continue;
                }
                long child = decodeDentry(c.value());
                if (sortName.endsWith("/")) {
                    if (startAfter == null || Utf8Order.compare(key, startAfter) > 0 || startAfter.startsWith(key)) {
                        visit(child, key, "");
                    }
                } else if (after(key)) {
                    offer(key, summary(key, tree.inode(child).manifest()));
                }
                c.next();
            }
        }
    }

    /**
     * Where to start in a directory: at {@code rest}, or later when {@code startAfter} lies
     * inside this directory. Children before startAfter's entry here hold only keys up to
     * startAfter; the entry itself may hold later keys, so the seek stops at its name
     * (with "/" when it is a directory on startAfter's path).
     */
    private String seekName(String path, String rest) {
        if (startAfter == null || !startAfter.startsWith(path)) {
            return rest;
        }
        String tail = startAfter.substring(path.length());
        int slash = tail.indexOf('/');
        String bound = slash < 0 ? tail : tail.substring(0, slash + 1);
        return Utf8Order.compare(bound, rest) > 0 ? bound : rest;
    }

    /** The common prefix {@code key} rolls up into (also for all keys under a directory path), or null. */
    private String commonPrefix(String key) {
        if (delimiter == null) {
            return null;
        }
        int at = key.indexOf(delimiter, prefix.length());
        return at < 0 ? null : key.substring(0, at + delimiter.length());
    }

    private void offer(String name, ObjectSummary summary) {
        if (after(name)) {
            entries.add(new Entry(name, summary));
        }
    }

    private boolean after(String name) {
        return startAfter == null || Utf8Order.compare(name, startAfter) > 0;
    }

    private boolean full() {
        return entries.size() > maxKeys;
    }

    private ListPage page() {
        boolean truncated = entries.size() > maxKeys;
        List<Entry> shown = truncated ? entries.subList(0, maxKeys) : entries;
        List<ObjectSummary> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (Entry e : shown) {
            if (e.summary() != null) {
                objects.add(e.summary());
            } else {
                prefixes.add(e.name());
            }
        }
        return new ListPage(objects, prefixes, truncated, truncated ? shown.get(shown.size() - 1).name() : null);
    }

    private static boolean sortNameStartsWith(byte[] dentryKey, byte[] rest) {
        return dentryKey.length - 8 >= rest.length
                && java.util.Arrays.equals(dentryKey, 8, 8 + rest.length, rest, 0, rest.length);
    }

    private static ObjectSummary summary(String key, ObjectManifest m) {
        return new ObjectSummary(key, m.size(), m.etag(), m.mtimeMillis(), m.storageClass());
    }
}
