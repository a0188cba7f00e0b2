package io.mooseng.fuse.kernel;

/**
 * How the kernel mounts a session.
 *
 * @param fsName      the mount's source, as mount(8) and /proc/mounts show it
 * @param subtype     the type shown as fuse.SUBTYPE
 * @param allowOther  other users than the mounting one may use the mount
 * @param defaultPermissions the kernel checks mode bits itself (each path step then needs the
 *                    directory's attributes: a GETATTR wherever they are not cached)
 * @param readOnly    mounted read-only
 * @param maxWrite    the largest write the kernel sends (and, rounded to pages, the largest read)
 * @param maxThreads  the most session threads, each with two buffers of about {@code maxWrite}
 * @param viaFusermount mount through fusermount3 as an unprivileged user must, even as root
 */
public record MountOptions(String fsName, String subtype, boolean allowOther, boolean defaultPermissions, boolean readOnly,
                           int maxWrite, int maxThreads, boolean viaFusermount) {
    public static final int DEFAULT_MAX_WRITE = 1 << 20;
    public static final int DEFAULT_MAX_THREADS = 16;

    public MountOptions {
        if (maxWrite < FuseProtocol.PAGE_SIZE || maxWrite > DEFAULT_MAX_WRITE || maxWrite % FuseProtocol.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("max write must be a multiple of 4 KiB from 4 KiB to 1 MiB: " + maxWrite);
        }
        if (maxThreads < 1) {
            throw new IllegalArgumentException("at least one thread: " + maxThreads);
        }
    }

    public static MountOptions defaults(String fsName, String subtype) {
        return new MountOptions(fsName, subtype, false, true, false, DEFAULT_MAX_WRITE, DEFAULT_MAX_THREADS, false);
    }

    public MountOptions withAllowOther(boolean allow) {
        return new MountOptions(fsName, subtype, allow, defaultPermissions, readOnly, maxWrite, maxThreads, viaFusermount);
    }

    public MountOptions withDefaultPermissions(boolean kernelChecks) {
        return new MountOptions(fsName, subtype, allowOther, kernelChecks, readOnly, maxWrite, maxThreads, viaFusermount);
    }

    public MountOptions withFusermount(boolean via) {
        return new MountOptions(fsName, subtype, allowOther, defaultPermissions, readOnly, maxWrite, maxThreads, via);
    }

    public MountOptions withReadOnly(boolean ro) {
        return new MountOptions(fsName, subtype, allowOther, defaultPermissions, ro, maxWrite, maxThreads, viaFusermount);
    }

    public MountOptions withMaxThreads(int threads) {
        return new MountOptions(fsName, subtype, allowOther, defaultPermissions, readOnly, maxWrite, threads, viaFusermount);
    }
}
