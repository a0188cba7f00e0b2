package io.mooseng.s3compat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The compose demo itself, where a Docker engine (and the {@code docker compose} plugin) runs:
 * built from docker/Dockerfile and started from docker/compose.yml as the README's quick start
 * says; an object PUT through each gateway reads back through the other. Skipped, with the
 * reason, on machines without an engine (the static checks are ComposeFileTest and DockerImageTest).
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)   // the first build downloads the base images and Maven's dependencies
class ComposeDemoTest {
    private static final List<String> GATEWAYS = List.of("gw1", "gw2");
    private static final int S3_PORT = 9000;

    @Test
    void theDemoClusterServesS3ThroughEveryGateway() {
        assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine reachable (DOCKER_HOST or /var/run/docker.sock): the compose demo cannot run here");
        S3Keys keys = S3Keys.random();
        ComposeContainer demo = new ComposeContainer(RepoRoot.find().resolve("docker/compose.yml").toFile())
                .withEnv(Map.of("MOOSENG_ACCESS_KEY", keys.accessKey(), "MOOSENG_SECRET_KEY", keys.secretKey()))
                .withBuild(true)
                .withRemoveVolumes(true)
                .withStartupTimeout(Duration.ofMinutes(25));
        for (String gw : GATEWAYS) {
            demo.withExposedService(gw, S3_PORT, Wait.forHttp("/health/ready").forStatusCode(200)
                    .withStartupTimeout(Duration.ofMinutes(25)));
        }
        demo.start();
        try {
            List<URI> endpoints = GATEWAYS.stream()
                    .map(gw -> URI.create("http://" + demo.getServiceHost(gw, S3_PORT) + ":" + demo.getServicePort(gw, S3_PORT)))
                    .toList();
            try (S3Client s3 = S3Clients.sync(endpoints.get(0), keys)) {
                s3.createBucket(b -> b.bucket("compose"));
            }
            for (int i = 0; i < endpoints.size(); i++) {
                byte[] data = TestData.bytes(i, TestData.MiB);
                String key = "via-" + GATEWAYS.get(i);
                try (S3Client writer = S3Clients.sync(endpoints.get(i), keys);
                     S3Client reader = S3Clients.sync(endpoints.get((i + 1) % endpoints.size()), keys)) {
                    writer.putObject(b -> b.bucket("compose").key(key), RequestBody.fromBytes(data));
                    assertArrayEquals(data, reader.getObjectAsBytes(b -> b.bucket("compose").key(key)).asByteArray(), key);
                }
            }
        } finally {
            demo.stop();
        }
    }
}
