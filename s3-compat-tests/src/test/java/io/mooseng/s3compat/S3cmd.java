package io.mooseng.s3compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's s3cmd run against a server under test with the configuration its users write:
 * keys, the server as host_base and host_bucket (path style), bucket_location US (so it
 * signs for region "US"), plain HTTP; plus any extra lines (e.g. {@code signature_v2 = True}).
 */
final class S3cmd {
    private static final Path S3CMD = Path.of("/usr/bin/s3cmd");

    record Result(int exitCode, String output) {
    }

    private final Path config;
    private final Path workDir;

    private S3cmd(Path config, Path workDir) {
        this.config = config;
        this.workDir = workDir;
    }

    /** Skips the calling test class when s3cmd is not installed. */
    static S3cmd configured(S3Server server, Path workDir, String name, String... extraLines) throws IOException {
        assumeTrue(Files.isExecutable(S3CMD), "s3cmd is not installed; `./mooseng test` installs it (apt-get install s3cmd)");
        String host = "127.0.0.1:" + server.port();
        List<String> lines = new ArrayList<>(List.of("[default]",
                "access_key = " + server.keys().accessKey(),
                "secret_key = " + server.keys().secretKey(),
                "host_base = " + host,
                "host_bucket = " + host,
                "bucket_location = US",
                "use_https = False"));
        lines.addAll(List.of(extraLines));
        return new S3cmd(Files.writeString(workDir.resolve(name), String.join("\n", lines) + "\n"), workDir);
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(S3CMD.toString(), "--config", config.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "s3cmd", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("HOME", workDir.toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("s3cmd " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out));
    }

    /** Runs and asserts success; answers the output. */
    String ok(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        assertEquals(0, r.exitCode(), () -> "s3cmd " + String.join(" ", args) + ":\n" + r.output());
        return r.output();
    }
}
