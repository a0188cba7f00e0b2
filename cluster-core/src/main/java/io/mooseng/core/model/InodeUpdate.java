package io.mooseng.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A change to one inode's content or attributes, applied by the namespace to the inode as it
 * is when the change commits, so concurrent changes of different fields never undo each other.
 * Null fields stay as they are.
 *
 * @param content        new content (size, ETag, mtime, class, blocks, inline data); attributes ignored
 * @param permissions    new permission bits (the type bits stay)
 * @param uid            new owner, or -1
 * @param gid            new group, or -1
 * @param mtimeMillis    new modification time
 * @param atimeMillis    new access time
 * @param userMetadata   user metadata (xattr user.NAME = S3 x-amz-meta-NAME) to set; a null value removes
 * @param changedMillis  the change time (ctime) chosen by the writer
 * @param keptBlocks     positions (ascending) of {@code content}'s blocks that are the inode's current
 *                       blocks at the same positions, kept (an append, a write into some blocks):
 *                       the change fails with CONCURRENT_CHANGE if they no longer are, and only the
 *                       inode's other blocks are freed; empty for new content
 */
public record InodeUpdate(ObjectManifest content, Integer permissions, Integer uid, Integer gid, Long mtimeMillis,
                          Long atimeMillis, Map<String, String> userMetadata, long changedMillis, List<Integer> keptBlocks) {

    public InodeUpdate {
        keptBlocks = List.copyOf(keptBlocks);
        for (int i = 0; i < keptBlocks.size(); i++) {
            int at = keptBlocks.get(i);
            if (content == null || at < 0 || at >= content.blocks().size() || i > 0 && at <= keptBlocks.get(i - 1)) {
                throw new IllegalArgumentException("kept blocks " + keptBlocks + " are not ascending positions of the new content");
            }
        }
    }

    public InodeUpdate(ObjectManifest content, Integer permissions, Integer uid, Integer gid, Long mtimeMillis,
                       Long atimeMillis, Map<String, String> userMetadata, long changedMillis) {
        this(content, permissions, uid, gid, mtimeMillis, atimeMillis, userMetadata, changedMillis, List.of());
    }

    public static InodeUpdate content(ObjectManifest content, long now) {
        return new InodeUpdate(Objects.requireNonNull(content), null, null, null, null, null, null, now);
    }

    /** New content of which the blocks at {@code keptBlocks} are the inode's current ones there. */
    public static InodeUpdate keeping(ObjectManifest content, List<Integer> keptBlocks, long now) {
        return new InodeUpdate(Objects.requireNonNull(content), null, null, null, null, null, null, now, keptBlocks);
    }

    /** The blocks of the new content that are not kept: written for this change (empty without content). */
    public List<BlockRef> newBlocks() {
        return content == null ? List.of() : withoutPositions(content.blocks(), keptBlocks);
    }

    /** {@code blocks} but those at {@code positions} (ascending). */
    public static List<BlockRef> withoutPositions(List<BlockRef> blocks, List<Integer> positions) {
        List<BlockRef> out = new ArrayList<>(blocks.size());
        for (int i = 0, p = 0; i < blocks.size(); i++) {
            if (p < positions.size() && positions.get(p) == i) {
                p++;
            } else {
                out.add(blocks.get(i));
            }
        }
        return out;
    }

    /** This change with other content (the kept blocks as the namespace has them now). */
    public InodeUpdate withContent(ObjectManifest newContent) {
        return new InodeUpdate(newContent, permissions, uid, gid, mtimeMillis, atimeMillis, userMetadata, changedMillis, keptBlocks);
    }

    public static InodeUpdate permissions(int permissions, long now) {
        return new InodeUpdate(null, permissions, null, null, null, null, null, now);
    }

    public static InodeUpdate owner(int uid, int gid, long now) {
        return new InodeUpdate(null, null, uid, gid, null, null, null, now);
    }

    /** utimens: either time may be null (UTIME_OMIT). */
    public static InodeUpdate times(Long mtimeMillis, Long atimeMillis, long now) {
        return new InodeUpdate(null, null, null, null, mtimeMillis, atimeMillis, null, now);
    }

    /** Sets ({@code value} not null) or removes one user metadata entry. */
    public static InodeUpdate userMetadata(String name, String value, long now) {
        Map<String, String> change = new TreeMap<>();
        change.put(name, value);
        return new InodeUpdate(null, null, null, null, null, null, change, now);
    }

    /**
     * The inode after this change.
     *
     * @param current    the inode's manifest, null for a directory that only exists for its children
     * @param directory  whether the inode is a directory
     * @param emptyMarker the manifest an implicit directory starts from (it becomes explicit)
     */
    public ObjectManifest applyTo(ObjectManifest current, boolean directory, ObjectManifest emptyMarker) {
        ObjectManifest base = current != null ? current : emptyMarker;
        PosixAttributes posix = new NamespaceEntry("", 0, directory, base).posix().changedAt(changedMillis);
        if (permissions != null) {
            posix = posix.withPermissions(permissions, changedMillis);
        }
        if (uid != null || gid != null) {
            posix = posix.withOwner(uid == null || uid < 0 ? posix.uid() : uid, gid == null || gid < 0 ? posix.gid() : gid, changedMillis);
        }
        if (atimeMillis != null) {
            posix = posix.withAtime(atimeMillis);
        }
        ObjectProperties props = base.properties();
        if (userMetadata != null) {
            Map<String, String> meta = new TreeMap<>(props.userMetadata());
            userMetadata.forEach((k, v) -> {
                if (v == null) {
                    meta.remove(k);
                } else {
                    meta.put(k, v);
                }
            });
            props = props.withUserMetadata(meta);
        }
        ObjectManifest out = content != null ? base.withContentOf(content) : base;
        return out.withAttributes(mtimeMillis != null ? mtimeMillis : out.mtimeMillis(), props, posix);
    }
}
