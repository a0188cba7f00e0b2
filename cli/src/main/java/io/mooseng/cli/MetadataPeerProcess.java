package io.mooseng.cli;

import io.mooseng.metadata.raft.MetadataServer;
import io.mooseng.metadata.raft.MetadataServerConfig;

/** Runs a metadata peer (master or metalogger) as the process's only job, until SIGTERM or a fatal store error. */
final class MetadataPeerProcess {
    /** Exit status of a peer whose store failed (disk full, corrupt database). */
    static final int STORE_FAILED = 3;

    private MetadataPeerProcess() {
    }

    interface AfterStart {
        void run(MetadataServer server) throws Exception;
    }

    static int run(MetadataServerConfig config, String what, AfterStart afterStart) throws Exception {
        MetadataServer server = new MetadataServer(config);
        server.onFailure(cause -> {
            System.err.println("mooseng: " + what + " stopped: its metadata store failed: " + cause);
            System.exit(STORE_FAILED);
        });
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("mooseng: closing " + what + ": " + e);
            }
        }, "mooseng-shutdown"));
        afterStart.run(server);
        System.out.printf("MooseNG %s is running (data %s)%n", what, config.storageDir());
        System.out.flush();
        Thread.currentThread().join();
        return 0;
    }
}
