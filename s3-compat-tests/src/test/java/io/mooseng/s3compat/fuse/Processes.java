package io.mooseng.s3compat.fuse;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** Child processes for the contracts; each has a deadline, so a hung filesystem fails a test instead of hanging it. */
final class Processes {
    /** The system python: a child run as another user cannot reach a per-user shim such as pyenv's under /root. */
    static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Processes() {
    }

    record Result(int exitCode, String output) {
    }

    static boolean installed(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }

    static Result run(Path workDir, String... command) throws IOException, InterruptedException {
        return run(new ProcessBuilder(command).directory(workDir.toFile()));
    }

    /** Runs to the end with no stdin; answers the exit code and stdout and stderr together. */
    static Result run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process process = builder.redirectErrorStream(true).start();
        process.getOutputStream().close();
        FutureTask<String> output = inBackground(() -> readAll(process.getInputStream()));
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), MILLISECONDS)) {
                throw new AssertionError(builder.command() + " did not finish within " + TIMEOUT);
            }
            return new Result(process.exitValue(), await(output, builder.command()));
        } finally {
            if (process.isAlive()) {
                kill(process);
            }
        }
    }

    static String ok(Path workDir, String... command) throws IOException, InterruptedException {
        return ok(new ProcessBuilder(command).directory(workDir.toFile()));
    }

    /** Runs to the end, asserts exit code 0 and answers the output. */
    static String ok(ProcessBuilder builder) throws IOException, InterruptedException {
        Result result = run(builder);
        if (result.exitCode() != 0) {
            throw new AssertionError(builder.command() + " exited " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }

    /** A child that holds something, such as a lock, from printing a ready line until its stdin closes. */
    static final class Holder implements AutoCloseable {
        private final Process process;

        private Holder(Process process) {
            this.process = process;
        }

        static Holder start(String ready, String... command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String line;
            try {
                line = await(inBackground(process.inputReader()::readLine), List.of(command));
            } catch (AssertionError | InterruptedException e) {
                kill(process);
                throw e;
            }
            if (!ready.equals(line)) {
                kill(process);
                throw new AssertionError(List.of(command) + " printed " + line + " instead of " + ready);
            }
            return new Holder(process);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT.toMillis(), MILLISECONDS)) {
                kill(process);
                throw new AssertionError("a holder did not exit within " + TIMEOUT + " of its stdin closing");
            }
        }
    }

    /** A thread of its own: the common pool may have a single worker, which one blocked reader would take. */
    private static <T> FutureTask<T> inBackground(Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task, "child-output");
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    private static <T> T await(FutureTask<T> task, List<String> command) throws InterruptedException {
        try {
            return task.get(TIMEOUT.toSeconds(), SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("no output from " + command, e);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
