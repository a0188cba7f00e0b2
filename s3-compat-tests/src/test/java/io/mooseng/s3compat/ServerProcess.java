package io.mooseng.s3compat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code mooseng server} as a child process: started, awaited until {@code GET /health/ready}
 * answers 200, then stopped with SIGTERM ({@link #stop()}) or SIGKILL ({@link #kill()}).
 * A {@link Spec} fixes the data folder, ports and keys, so a restart serves the same cluster.
 * Output goes to a log file next to the data folder, quoted when start-up fails.
 */
final class ServerProcess implements S3Server, AutoCloseable {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        // a test JVM that dies mid-test must not leave servers holding ports and folders
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ServerProcess::destroyTree), "server-process-reaper"));
    }

    /**
     * How to start a server; {@link #start()} may be called again after a stop or kill.
     *
     * @param launcher   null: {@code java <jvmOptions> -cp <test classpath> io.mooseng.cli.Main};
     *                   else the {@code mooseng} script, given the JVM options in MOOSENG_JAVA_OPTS
     * @param env        more environment of the process (the launcher's settings)
     * @param serverArgs more flags of {@code mooseng server}
     */
    record Spec(Path dataDir, int s3Port, int raftPort, S3Keys keys, List<String> jvmOptions, Path launcher,
                Duration readyTimeout, Map<String, String> env, List<String> serverArgs) {

        /** A child JVM on the test classpath, on fresh free ports. */
        static Spec jvm(Path dataDir, S3Keys keys, String... jvmOptions) throws IOException {
            return new Spec(dataDir, freePort(), freePort(), keys, List.of(jvmOptions), null, Duration.ofSeconds(90), Map.of(), List.of());
        }

        /** The launcher script, the way the README starts a server. */
        static Spec launcher(Path script, Path dataDir, S3Keys keys, Duration readyTimeout, String... jvmOptions) throws IOException {
            return new Spec(dataDir, freePort(), freePort(), keys, List.of(jvmOptions), script, readyTimeout, Map.of(), List.of());
        }

        Spec withEnv(Map<String, String> more) {
            Map<String, String> all = new HashMap<>(env);
            all.putAll(more);
            return new Spec(dataDir, s3Port, raftPort, keys, jvmOptions, launcher, readyTimeout, Map.copyOf(all), serverArgs);
        }

        Spec withServerArgs(String... args) {
            return new Spec(dataDir, s3Port, raftPort, keys, jvmOptions, launcher, readyTimeout, env, List.of(args));
        }

        ServerProcess start() throws IOException, InterruptedException {
            return ServerProcess.start(this);
        }

        Path log() {
            return dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
        }

        private List<String> command() {
            List<String> cmd = launcher == null ? NodeProcess.javaCommand(jvmOptions) : new ArrayList<>(List.of(launcher.toString()));
            cmd.addAll(List.of("server", "--data", dataDir.toString(),
                    "--s3-address", "127.0.0.1:" + s3Port, "--raft-address", "127.0.0.1:" + raftPort));
            cmd.addAll(serverArgs);
            return cmd;
        }
    }

    private final Spec spec;
    private final Process process;

    private ServerProcess(Spec spec, Process process) {
        this.spec = spec;
        this.process = process;
    }

    private static ServerProcess start(Spec spec) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(spec.command())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.log().toFile()));
        pb.environment().put("MOOSENG_ACCESS_KEY", spec.keys().accessKey());
        pb.environment().put("MOOSENG_SECRET_KEY", spec.keys().secretKey());
        pb.environment().putAll(spec.env());
        if (spec.launcher() != null) {
            pb.environment().put("MOOSENG_JAVA_OPTS", String.join(" ", spec.jvmOptions()));
        }
        Process p = pb.start();
        LIVE.add(p);
        ServerProcess server = new ServerProcess(spec, p);
        try {
            server.awaitReady();
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    @Override
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + spec.s3Port());
    }

    @Override
    public S3Keys keys() {
        return spec.keys();
    }

    Spec spec() {
        return spec;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then waits for the clean shutdown to end the JVM. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            close();
            throw new AssertionError("server did not exit within 60 s of SIGTERM\n" + logTail());
        }
        LIVE.remove(process);
    }

    /** SIGKILL: the machine loses power as far as the server can tell. */
    void kill() throws InterruptedException {
        destroyTree(process);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("server still running 30 s after SIGKILL");
        }
        LIVE.remove(process);
    }

    /** Kills the server if it still runs; safe to call in any state, for cleanup after failures. */
    @Override
    public void close() {
        if (process.isAlive()) {
            destroyTree(process);
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LIVE.remove(process);
    }

    /** The end of the server's output, for failure messages. */
    String logTail() {
        try (RandomAccessFile f = new RandomAccessFile(spec.log().toFile(), "r")) {
            long from = Math.max(0, f.length() - 6000);
            byte[] b = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(b);
            return "--- " + spec.log() + " (tail) ---\n" + new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no server log: " + e + ")";
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(endpoint().resolve("/health/ready")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + spec.readyTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + " before it was ready\n" + logTail());
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // not listening yet
            } catch (IOException e) {
                // listening but not answering yet
            }
            Thread.sleep(100); // poll interval of a condition with a deadline
        }
        throw new AssertionError("server not ready within " + spec.readyTimeout() + "\n" + logTail());
    }

    private static void destroyTree(Process p) {
        // the launcher script execs java, but while it builds its children are Maven
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    static int freePort() throws IOException {
        return TestPorts.freeRange(1);
    }
}
