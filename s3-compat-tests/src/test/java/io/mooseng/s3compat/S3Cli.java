package io.mooseng.s3compat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code aws s3 ...} run as a user runs it, against a server under test: Debian's awscli
 * ({@code /usr/bin/aws}; not a pyenv shim that may shadow it on PATH), else the same commands
 * on Debian's python3-boto3. {@code -Ds3compat.cli=boto3} forces the fallback.
 */
final class S3Cli {
    enum Kind { AWSCLI, BOTO3 }

    record Result(int exitCode, String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    private static final Path AWS = Path.of("/usr/bin/aws");
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private final Kind kind;
    private final S3Server server;
    private final Path workDir;
    private final AtomicInteger runs = new AtomicInteger();
    private final Path caBundle;

    S3Cli(Kind kind, S3Server server, Path workDir) {
        this(kind, server, workDir, null);
    }

    /** @param caBundle the PEM file of CAs to trust for an https endpoint (AWS_CA_BUNDLE), or null */
    S3Cli(Kind kind, S3Server server, Path workDir, Path caBundle) {
        this.kind = kind;
        this.server = server;
        this.workDir = workDir;
        this.caBundle = caBundle;
    }

    /** Which client this machine has, if any. */
    static Optional<Kind> available() {
        boolean forceBoto3 = "boto3".equals(System.getProperty("s3compat.cli"));
        if (!forceBoto3 && Files.isExecutable(AWS)) {
            return Optional.of(Kind.AWSCLI);
        }
        if (Files.isExecutable(PYTHON)) {
            try {
                Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import boto3").redirectErrorStream(true).start();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(Kind.BOTO3);
                }
                p.destroyForcibly();
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Optional.empty();
    }

    Kind kind() {
        return kind;
    }

    /** Runs {@code aws s3 <args>} and asserts it succeeded; answers its output. */
    Result ok(String... args) throws IOException, InterruptedException {
        return succeeded("aws s3", args, run(args));
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (kind == Kind.AWSCLI) {
            cmd.addAll(List.of(AWS.toString(), "--endpoint-url", server.endpoint().toString(), "s3"));
        } else {
            cmd.addAll(List.of(PYTHON.toString(), "-c", boto3Script(), server.endpoint().toString()));
        }
        cmd.addAll(List.of(args));
        return execute(cmd, args);
    }

    /** Runs {@code aws s3api <args>} (awscli only: the boto3 fallback has no s3api) and asserts it succeeded; answers its JSON. */
    Result api(String... args) throws IOException, InterruptedException {
        return succeeded("aws s3api", args, apiRun(args));
    }

    private static Result succeeded(String command, String[] args, Result r) {
        if (r.exitCode() != 0) {
            throw new AssertionError(command + " " + String.join(" ", args) + " failed: " + r);
        }
        return r;
    }

    Result apiRun(String... args) throws IOException, InterruptedException {
        if (kind != Kind.AWSCLI) {
            throw new IllegalStateException("aws s3api needs awscli");
        }
        List<String> cmd = new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", server.endpoint().toString(), "--output", "json",
                "s3api"));
        cmd.addAll(List.of(args));
        return execute(cmd, args);
    }

    private Result execute(List<String> cmd, String... args) throws IOException, InterruptedException {
        int n = runs.incrementAndGet();
        Path out = workDir.resolve("cli-" + n + ".out");
        Path err = workDir.resolve("cli-" + n + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        isolate(pb.environment(), server, workDir, caBundle);
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("aws s3 " + String.join(" ", args) + " did not finish within 180 s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /**
     * Only the test's keys and endpoint for an AWS client (awscli, boto3): no profile, config or metadata service from this machine.
     *
     * @param caBundle the PEM file of CAs to trust, or null
     */
    static void isolate(Map<String, String> env, S3Server server, Path workDir, Path caBundle) throws IOException {
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        Path home = Files.createDirectories(workDir.resolve("home"));
        env.put("HOME", home.toString());
        env.put("AWS_ACCESS_KEY_ID", server.keys().accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", server.keys().secretKey());
        env.put("AWS_DEFAULT_REGION", S3Clients.REGION.id());
        env.put("AWS_CONFIG_FILE", home.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
        if (caBundle != null) {
            env.put("AWS_CA_BUNDLE", caBundle.toString());
        }
    }

    private static String boto3Script() {
        try (InputStream in = S3Cli.class.getResourceAsStream("boto3_s3cli.py")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
