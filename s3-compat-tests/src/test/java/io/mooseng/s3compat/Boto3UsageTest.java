package io.mooseng.s3compat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's python3-boto3 (a black-box client) calling what boto3 users call: tagging, multipart
 * by hand and through the transfer manager, ACLs and ownership controls, conditional writes and
 * reads, a form signed by generate_presigned_post, and versions: versioning, tagging by version, delete markers and
 * lifecycle rules for noncurrent versions (boto3_usage.py prints a line per check).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class Boto3UsageTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @RegisterExtension
    static final ClusterExtension cluster = new ClusterExtension();

    @TempDir
    Path work;

    @Test
    void boto3CallsSucceedAsOnS3() throws Exception {
        assumeTrue(boto3Installed(), "Debian's python3-boto3 is not installed (scripts/install-deps.sh test)");
        String script;
        try (InputStream in = Boto3UsageTest.class.getResourceAsStream("boto3_usage.py")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ProcessBuilder pb = new ProcessBuilder(PYTHON.toString(), "-c", script, cluster.endpoint().toString(), "boto3-usage", work.toString())
                .redirectOutput(work.resolve("out").toFile()).redirectError(work.resolve("err").toFile());
        S3Cli.isolate(pb.environment(), cluster, work, null);
        Process p = pb.start();
        assertTrue(p.waitFor(150, TimeUnit.SECONDS), "boto3_usage.py finished");
        String out = Files.readString(work.resolve("out"));
        String report = out + Files.readString(work.resolve("err"));
        assertEquals(0, p.exitValue(), report);
        List<String> checks = out.lines().filter(l -> l.startsWith("ok ")).toList();
        assertEquals(37, checks.size(), report);
    }

    private static boolean boto3Installed() throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import boto3").redirectErrorStream(true).start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
