package io.mooseng.s3compat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code mooseng} node other than a server (a master, a chunkserver) as a child JVM on the
 * test classpath, its output in a log file; ready once its {@code /metrics} answers.
 */
record NodeProcess(Process process, Path log, URI metrics) implements AutoCloseable {
    /** {@code java <jvmOptions> -cp <test classpath> io.mooseng.cli.Main}, to which a command's arguments are added. */
    static List<String> javaCommand(List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.mooseng.cli.Main");
        return cmd;
    }

    /** Starts {@code mooseng <args> --metrics-address 127.0.0.1:<metricsPort>} without waiting for it. */
    static NodeProcess start(Path log, int metricsPort, String... args) throws IOException {
        List<String> cmd = javaCommand(List.of("-XX:+UseSerialGC", "-Xmx256m"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--metrics-address", "127.0.0.1:" + metricsPort));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new NodeProcess(p, log, URI.create("http://127.0.0.1:" + metricsPort + "/metrics"));
    }

    /** Waits until {@code /metrics} answers 200; @return its address. */
    URI awaitMetrics(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return metrics;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100); // poll interval of a condition with a deadline
        }
        throw new AssertionError(metrics + " not served within " + timeout + "\n--- " + log + " ---\n" + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
