package io.mooseng.fuse.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import static io.mooseng.fuse.kernel.FuseProtocol.OUT_HEADER;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

/**
 * Decodes one request, calls the filesystem and encodes its answer into the reply buffer.
 * Stateless apart from what FUSE_INIT settled, so every session thread shares one.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** Returned by {@link #dispatch} for requests that take no reply (FORGET, INTERRUPT). */
    static final int NO_REPLY = -1;
    private static final int WANTED_FLAGS = FuseProtocol.ASYNC_READ | FuseProtocol.ATOMIC_O_TRUNC | FuseProtocol.BIG_WRITES
            | FuseProtocol.DO_READDIRPLUS | FuseProtocol.READDIRPLUS_AUTO | FuseProtocol.PARALLEL_DIROPS | FuseProtocol.MAX_PAGES;
    private static final int MAX_BACKGROUND = 64;

    private final FuseFilesystem fs;
    private final int maxWrite;
    private final Runnable onInit;
    private volatile int minor;

    /** @param onInit run once FUSE_INIT is answered: the mount is usable */
    Dispatcher(FuseFilesystem fs, int maxWrite, Runnable onInit) {
        this.fs = fs;
        this.maxWrite = maxWrite;
        this.onInit = onInit;
    }

    /** Writes the whole reply into {@code out}; @return its length, or {@link #NO_REPLY} */
    int dispatch(FuseRequest r, MemorySegment out) {
        int length;
        int errno;
        long started = System.nanoTime();
        try {
            length = answer(r, out);
            errno = 0;
        } catch (FuseException e) {
            length = OUT_HEADER;
            errno = e.errno();
            if (errno == Errno.EIO || errno == Errno.ENOSPC) {
                LOG.warn("FUSE opcode {} on node {}: {}", r.opcode(), r.nodeid(), e.getMessage());
            }
        } catch (RuntimeException e) {
            length = OUT_HEADER;
            errno = fs.errno(e);
            if (errno == Errno.EIO || errno == Errno.ENOSPC) {
                LOG.warn("FUSE opcode {} on node {} failed", r.opcode(), r.nodeid(), e);
            }
        }
        if (length != NO_REPLY) {
            Replies.header(out, length, -errno, r.unique());
        }
        fs.served(FuseProtocol.opcodeName(r.opcode()), System.nanoTime() - started, errno);
        return length;
    }

    private int answer(FuseRequest r, MemorySegment out) {
        int op = r.opcode();
        return switch (op) {
            case FuseProtocol.INIT -> init(r, out);
            case FuseProtocol.FORGET -> {
                fs.forget(r.nodeid(), r.i64(0));
                yield NO_REPLY;
            }
            case FuseProtocol.BATCH_FORGET -> {
                // fuse_batch_forget_in, then count (nodeid, nlookup) pairs: never past the request's end
                int count = (int) Math.min(Integer.toUnsignedLong(r.i32(0)), (r.length() - FuseProtocol.IN_HEADER - 8) / 16);
                for (int i = 0; i < count; i++) {
                    fs.forget(r.i64(8 + 16 * i), r.i64(16 + 16 * i));
                }
                yield NO_REPLY;
            }
            case FuseProtocol.LOOKUP -> entry(out, fs.lookup(r, r.nodeid(), r.name(0)));
            case FuseProtocol.GETATTR -> {
                long fh = (r.i32(0) & FuseProtocol.GETATTR_FH) != 0 ? r.i64(8) : -1;
                yield attr(out, fs.getattr(r, r.nodeid(), fh));
            }
            case FuseProtocol.SETATTR -> attr(out, fs.setattr(r, r.nodeid(), setattr(r)));
            case FuseProtocol.READLINK -> bytes(out, fs.readlink(r, r.nodeid()));
            case FuseProtocol.SYMLINK -> {
                int target = r.nameEnd(0);
                yield entry(out, fs.symlink(r, r.nodeid(), r.name(0), r.name(target)));
            }
            case FuseProtocol.MKNOD -> entry(out, fs.mknod(r, r.nodeid(), r.name(16), r.i32(0), r.i32(4)));
            case FuseProtocol.MKDIR -> entry(out, fs.mkdir(r, r.nodeid(), r.name(8), r.i32(0)));
            case FuseProtocol.UNLINK -> {
                fs.unlink(r, r.nodeid(), r.name(0));
                yield OUT_HEADER;
            }
            case FuseProtocol.RMDIR -> {
                fs.rmdir(r, r.nodeid(), r.name(0));
                yield OUT_HEADER;
            }
            case FuseProtocol.RENAME -> rename(r, 8, 0);
            case FuseProtocol.RENAME2 -> rename(r, 16, r.i32(8));
            case FuseProtocol.LINK -> entry(out, fs.link(r, r.i64(0), r.nodeid(), r.name(8)));
            case FuseProtocol.OPEN -> opened(out, OUT_HEADER, fs.open(r, r.nodeid(), r.i32(0)));
            case FuseProtocol.CREATE -> {
                Created c = fs.create(r, r.nodeid(), r.name(16), r.i32(4), r.i32(0));
                Replies.entry(out, OUT_HEADER, c.entry());
                yield opened(out, OUT_HEADER + FuseProtocol.ENTRY_OUT, c.opened());
            }
            case FuseProtocol.READ -> read(r, out);
            case FuseProtocol.WRITE -> {
                int size = r.i32(16);
                int n = fs.write(r, r.nodeid(), r.i64(0), r.i64(8), r.slice(FuseProtocol.WRITE_IN, size), r.i32(32));
                out.set(JAVA_INT_UNALIGNED, OUT_HEADER, n);
                out.set(JAVA_INT_UNALIGNED, OUT_HEADER + 4, 0);
                yield OUT_HEADER + 8;
            }
            case FuseProtocol.FLUSH -> {
                fs.flush(r, r.nodeid(), r.i64(0));
                yield OUT_HEADER;
            }
            case FuseProtocol.RELEASE -> {
                fs.release(r, r.nodeid(), r.i64(0), r.i32(8));
                yield OUT_HEADER;
            }
            case FuseProtocol.FSYNC -> {
                fs.fsync(r, r.nodeid(), r.i64(0), (r.i32(8) & 1) != 0);
                yield OUT_HEADER;
            }
            case FuseProtocol.OPENDIR -> opened(out, OUT_HEADER, fs.opendir(r, r.nodeid(), r.i32(0)));
            case FuseProtocol.READDIR, FuseProtocol.READDIRPLUS -> {
                DirentWriter w = new DirentWriter(out, OUT_HEADER, Math.min(r.i32(16), (int) out.byteSize() - OUT_HEADER),
                        op == FuseProtocol.READDIRPLUS);
                fs.readdir(r, r.nodeid(), r.i64(0), r.i64(8), w);
                yield (int) w.end();
            }
            case FuseProtocol.RELEASEDIR -> {
                fs.releasedir(r, r.nodeid(), r.i64(0));
                yield OUT_HEADER;
            }
            case FuseProtocol.FSYNCDIR -> {
                fs.fsyncdir(r, r.nodeid(), r.i64(0), (r.i32(8) & 1) != 0);
                yield OUT_HEADER;
            }
            case FuseProtocol.STATFS -> {
                Replies.statfs(out, OUT_HEADER, fs.statfs(r, r.nodeid()));
                yield OUT_HEADER + 80;
            }
            case FuseProtocol.SETXATTR -> {
                int size = r.i32(0);
                int value = r.nameEnd(8);
                fs.setxattr(r, r.nodeid(), r.name(8), r.bytesAt(value, size), r.i32(4));
                yield OUT_HEADER;
            }
            case FuseProtocol.GETXATTR -> xattr(out, r.i32(0), fs.getxattr(r, r.nodeid(), r.name(8)));
            case FuseProtocol.LISTXATTR -> xattr(out, r.i32(0), fs.listxattr(r, r.nodeid()));
            case FuseProtocol.REMOVEXATTR -> {
                fs.removexattr(r, r.nodeid(), r.name(0));
                yield OUT_HEADER;
            }
            // access(2) is checked by the kernel (default_permissions); DESTROY needs no answer of ours
            case FuseProtocol.DESTROY -> OUT_HEADER;
            default -> throw new FuseException(Errno.ENOSYS, "opcode " + op);
        };
    }

    private int init(FuseRequest r, MemorySegment out) {
        int major = r.i32(0);
        int kernelMinor = r.i32(4);
        if (major != FuseProtocol.KERNEL_VERSION || kernelMinor < FuseProtocol.MIN_KERNEL_MINOR_VERSION) {
            LOG.error("the kernel speaks FUSE {}.{}; this binding needs 7.{} or later", major, kernelMinor,
                    FuseProtocol.MIN_KERNEL_MINOR_VERSION);
            throw new FuseException(Errno.EPROTO, "FUSE " + major + "." + kernelMinor);
        }
        minor = Math.min(kernelMinor, FuseProtocol.KERNEL_MINOR_VERSION);
        int flags = r.i32(12) & WANTED_FLAGS;
        Replies.init(out, OUT_HEADER, minor, r.i32(8), flags, MAX_BACKGROUND, maxWrite);
        LOG.debug("FUSE 7.{} (kernel 7.{}), flags {}", minor, kernelMinor, Integer.toHexString(flags));
        onInit.run();
        return OUT_HEADER + FuseProtocol.INIT_OUT;
    }

    private int rename(FuseRequest r, int names, int flags) {
        int newName = r.nameEnd(names);
        fs.rename(r, r.nodeid(), r.name(names), r.i64(0), r.name(newName), flags);
        return OUT_HEADER;
    }

    private int read(FuseRequest r, MemorySegment out) {
        int size = Math.min(r.i32(16), (int) out.byteSize() - OUT_HEADER);
        ByteBuffer into = out.asSlice(OUT_HEADER, size).asByteBuffer();
        int n = fs.read(r, r.nodeid(), r.i64(0), r.i64(8), into);
        if (n < 0 || n > size) {
            throw new IllegalStateException("read returned " + n + " for " + size + " bytes asked");
        }
        return OUT_HEADER + n;
    }

    private static SetAttr setattr(FuseRequest r) {
        long atime = r.i64(32) * 1_000_000_000L + Integer.toUnsignedLong(r.i32(56));
        long mtime = r.i64(40) * 1_000_000_000L + Integer.toUnsignedLong(r.i32(60));
        return new SetAttr(r.i32(0), r.i64(8), r.i64(16), atime, mtime, r.i32(68), r.i32(76), r.i32(80));
    }

    private static int entry(MemorySegment out, Entry e) {
        Replies.entry(out, OUT_HEADER, e);
        return OUT_HEADER + FuseProtocol.ENTRY_OUT;
    }

    private static int attr(MemorySegment out, AttrReply a) {
        Replies.attrOut(out, OUT_HEADER, a);
        return OUT_HEADER + FuseProtocol.ATTR_OUT;
    }

    private static int opened(MemorySegment out, int at, Opened o) {
        Replies.open(out, at, o);
        return at + FuseProtocol.OPEN_OUT;
    }

    private static int bytes(MemorySegment out, byte[] b) {
        MemorySegment.copy(MemorySegment.ofArray(b), 0, out, OUT_HEADER, b.length);
        return OUT_HEADER + b.length;
    }

    /** getxattr/listxattr: size 0 asks for the length (struct fuse_getxattr_out), else the bytes or ERANGE. */
    private static int xattr(MemorySegment out, int size, byte[] value) {
        if (size == 0) {
            out.set(JAVA_INT_UNALIGNED, OUT_HEADER, value.length);
            out.set(JAVA_INT_UNALIGNED, OUT_HEADER + 4, 0);
            return OUT_HEADER + 8;
        }
        if (value.length > size) {
            throw new FuseException(Errno.ERANGE, value.length + " bytes do not fit in " + size);
        }
        return bytes(out, value);
    }
}
