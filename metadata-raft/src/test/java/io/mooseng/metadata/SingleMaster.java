package io.mooseng.metadata;

import io.mooseng.metadata.client.RaftMetadataService;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real single-master Raft group shared by a test class: started in a folder of its own
 * before the first test, closed and deleted after the last. Register it as a static field.
 */
public final class SingleMaster implements BeforeAllCallback, AfterAllCallback {
    private Path dir;
    private TestCluster cluster;
    private RaftMetadataService client;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            throw new IllegalStateException(context.getDisplayName() + ": this SingleMaster's group still runs for another class "
                    + "(test classes sharing one run one at a time)");
        }
        dir = Files.createTempDirectory("mooseng-meta-");
        cluster = TestCluster.start(dir, 1);
        client = cluster.client();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The group's client (an ordinary one: no lease holder). */
    public RaftMetadataService meta() {
        return client;
    }

    public TestCluster cluster() {
        return cluster;
    }
}
