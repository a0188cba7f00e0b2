package io.mooseng.cli.node;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;

/** The Vert.x instance a MooseNG process (or command) runs on. */
public final class ProcessVertx {
    private ProcessVertx() {
    }

    /**
     * Without Vert.x's class-path file resolver: nothing of ours reads files through it (the
     * console reads its assets from the class path itself), and with it every instance makes a
     * /tmp/vertx-cache-UUID folder that only a clean exit removes.
     */
    public static Vertx create() {
        return Vertx.vertx(new VertxOptions().setFileSystemOptions(
                new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false)));
    }
}
