package io.mooseng.fuse.kernel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small in-memory filesystem on the low-level protocol, to test the binding through real
 * system calls: directories, files, symlinks and user xattrs, with exact lookup counts.
 */
final class MemoryFilesystem implements FuseFilesystem {
    private static final long TTL = 1_000_000_000L;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    static final class Node {
        final long id;
        int mode;
        byte[] data = new byte[0];
        final TreeMap<String, Long> children = new TreeMap<>();
        final Map<String, byte[]> xattrs = new HashMap<>();
        int nlink = 1;

        Node(long id, int mode) {
            this.id = id;
            this.mode = mode;
        }
    }

    private final Map<Long, Node> nodes = new ConcurrentHashMap<>();
    /** Lookups the kernel holds per node, as counted from our replies and its FORGETs. */
    final Map<Long, Long> lookups = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(2);
    final AtomicLong getattrs = new AtomicLong();
    final AtomicLong lookupCalls = new AtomicLong();
    /** While set, getattr waits for it (as on an unreachable server); {@link #waiting} counts those calls. */
    volatile java.util.concurrent.CountDownLatch gate;
    final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();

    MemoryFilesystem() {
        nodes.put(FuseProtocol.ROOT_ID, new Node(FuseProtocol.ROOT_ID, S_IFDIR | 0755));
    }

    private synchronized Node node(long id) {
        Node n = nodes.get(id);
        if (n == null) {
            throw new FuseException(Errno.ENOENT, "no node " + id);
        }
        return n;
    }

    private Attr attr(Node n) {
        synchronized (this) {
            return new Attr(n.id, n.data.length, (n.data.length + 511) / 512, 0, 0, 0, n.mode, n.nlink, 0, 0, 0, 4096);
        }
    }

    private Entry entry(Node n) {
        lookups.merge(n.id, 1L, Long::sum);
        return new Entry(n.id, attr(n), TTL, TTL);
    }

    @Override
    public Entry lookup(FuseRequest r, long parent, String name) {
        lookupCalls.incrementAndGet();
        Long id;
        synchronized (this) {
            id = node(parent).children.get(name);
        }
        if (id == null) {
            throw new FuseException(Errno.ENOENT, name);
        }
        return entry(node(id));
    }

    @Override
    public void forget(long nodeid, long count) {
        lookups.merge(nodeid, -count, Long::sum);
    }

    @Override
    public AttrReply getattr(FuseRequest r, long nodeid, long fh) {
        getattrs.incrementAndGet();
        java.util.concurrent.CountDownLatch g = gate;
        if (g != null) {
            waiting.incrementAndGet();
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new AttrReply(attr(node(nodeid)), TTL);
    }

    @Override
    public synchronized AttrReply setattr(FuseRequest r, long nodeid, SetAttr changes) {
        Node n = node(nodeid);
        if (changes.hasSize()) {
            n.data = Arrays.copyOf(n.data, (int) changes.size());
        }
        if (changes.hasMode()) {
            n.mode = (n.mode & ~07777) | (changes.mode() & 07777);
        }
        return new AttrReply(attr(n), TTL);
    }

    private synchronized Node add(long parent, String name, int mode) {
        Node dir = node(parent);
        if (dir.children.containsKey(name)) {
            throw new FuseException(Errno.EEXIST, name);
        }
        Node n = new Node(nextId.getAndIncrement(), mode);
        nodes.put(n.id, n);
        dir.children.put(name, n.id);
        return n;
    }

    @Override
    public Entry mkdir(FuseRequest r, long parent, String name, int mode) {
        return entry(add(parent, name, S_IFDIR | mode));
    }

    @Override
    public Entry symlink(FuseRequest r, long parent, String name, String target) {
        Node n = add(parent, name, S_IFLNK | 0777);
        n.data = target.getBytes(StandardCharsets.UTF_8);
        return entry(n);
    }

    @Override
    public byte[] readlink(FuseRequest r, long nodeid) {
        return node(nodeid).data;
    }

    @Override
    public Created create(FuseRequest r, long parent, String name, int mode, int flags) {
        Node n = add(parent, name, S_IFREG | (mode & 07777));
        return new Created(entry(n), Opened.handle(n.id));
    }

    @Override
    public Opened open(FuseRequest r, long nodeid, int flags) {
        return Opened.handle(nodeid);
    }

    @Override
    public synchronized int read(FuseRequest r, long nodeid, long fh, long offset, ByteBuffer into) {
        Node n = node(nodeid);
        int count = (int) Math.max(0, Math.min(into.remaining(), n.data.length - offset));
        into.put(n.data, (int) offset, count);
        return count;
    }

    @Override
    public synchronized int write(FuseRequest r, long nodeid, long fh, long offset, ByteBuffer data, int flags) {
        Node n = node(nodeid);
        int count = data.remaining();
        if (offset + count > n.data.length) {
            n.data = Arrays.copyOf(n.data, (int) offset + count);
        }
        data.get(n.data, (int) offset, count);
        return count;
    }

    @Override
    public void fsync(FuseRequest r, long nodeid, long fh, boolean dataOnly) {
    }

    @Override
    public synchronized void unlink(FuseRequest r, long parent, String name) {
        Long id = node(parent).children.remove(name);
        if (id == null) {
            throw new FuseException(Errno.ENOENT, name);
        }
        node(id).nlink--;
    }

    @Override
    public synchronized void rmdir(FuseRequest r, long parent, String name) {
        Long id = node(parent).children.get(name);
        if (id == null) {
            throw new FuseException(Errno.ENOENT, name);
        }
        if (!node(id).children.isEmpty()) {
            throw new FuseException(Errno.ENOTEMPTY, name);
        }
        node(parent).children.remove(name);
    }

    @Override
    public synchronized void rename(FuseRequest r, long parent, String name, long newParent, String newName, int flags) {
        Long id = node(parent).children.get(name);
        if (id == null) {
            throw new FuseException(Errno.ENOENT, name);
        }
        node(parent).children.remove(name);
        node(newParent).children.put(newName, id);
    }

    @Override
    public void readdir(FuseRequest r, long nodeid, long fh, long offset, DirectoryFill fill) {
        Map.Entry<String, Long>[] children;
        synchronized (this) {
            @SuppressWarnings("unchecked")
            Map.Entry<String, Long>[] all = node(nodeid).children.entrySet().toArray(new Map.Entry[0]);
            children = all;
        }
        for (int i = (int) offset; i < children.length; i++) {
            Node n = node(children[i].getValue());
            Entry e = new Entry(n.id, attr(n), TTL, TTL);
            if (!fill.add(children[i].getKey(), e, i + 1)) {
                return;
            }
            if (fill.plus()) {
                lookups.merge(n.id, 1L, Long::sum);
            }
        }
    }

    @Override
    public synchronized void setxattr(FuseRequest r, long nodeid, String name, byte[] value, int flags) {
        node(nodeid).xattrs.put(name, value);
    }

    @Override
    public synchronized byte[] getxattr(FuseRequest r, long nodeid, String name) {
        byte[] v = node(nodeid).xattrs.get(name);
        if (v == null) {
            throw new FuseException(Errno.ENODATA, name);
        }
        return v;
    }

    @Override
    public synchronized byte[] listxattr(FuseRequest r, long nodeid) {
        StringBuilder names = new StringBuilder();
        node(nodeid).xattrs.keySet().forEach(k -> names.append(k).append('\0'));
        return names.toString().getBytes(StandardCharsets.UTF_8);
    }
}
