package io.mooseng.s3compat;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a script of {@code src/test/resources/console/} that drives the web console in Debian's
 * Chromium, headless, with playwright-core (from npm, installed under target/ on first use).
 * The script talks to the test over its stdout and stdin, one line at a time, and prints DONE at
 * its end. The calling test is skipped, saying why, without chromium, node or the npm registry.
 * Screenshots land in target/console-screenshots (docs/console with {@code -Dconsole.screenshots=../docs/console}).
 */
final class ConsoleBrowser {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path TOOLS = Path.of("target", "console-e2e").toAbsolutePath();

    /** What the test does with a line of the script (a request such as STOP); the writer answers it. */
    @FunctionalInterface
    interface Lines {
        void line(String line, Writer answer) throws Exception;
    }

    private ConsoleBrowser() {
    }

    /** Runs {@code script} with the console's URL and a key pair in {@code env} (CONSOLE_URL, ACCESS_KEY, ...) and asserts it finished. */
    static void run(String script, Map<String, String> env, Lines lines) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed (scripts/install-deps.sh test installs it)");
        installPlaywright();
        Path file = TOOLS.resolve(script);
        try (InputStream in = ConsoleBrowser.class.getResourceAsStream("/console/" + script)) {
            Files.write(file, in.readAllBytes());
        }
        // -Dconsole.screenshots=../docs/console refreshes the README's pictures; by default they stay under target/
        Path shots = Files.createDirectories(Path.of(System.getProperty("console.screenshots", "target/console-screenshots")).toAbsolutePath());
        ProcessBuilder pb = new ProcessBuilder("node", file.toString()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("CHROMIUM", CHROMIUM.toString());
        pb.environment().put("SHOTS", shots.toString());
        Process node = pb.start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
             Writer in = node.outputWriter(StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                output.add(line);
                lines.line(line, in);
            }
        } finally {
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
        assertEquals(0, node.exitValue(), () -> "the browser script failed:\n" + String.join("\n", output));
        assertTrue(output.contains("DONE"), () -> String.join("\n", output));
    }

    /** playwright-core from the npm registry into target/ (once); the test is skipped when that cannot be had. */
    private static void installPlaywright() throws IOException, InterruptedException {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            Assumptions.assumeTrue(node.waitFor(10, TimeUnit.SECONDS) && node.exitValue() == 0, "node does not run");
        } catch (IOException e) {
            Assumptions.abort("node is not installed (scripts/install-deps.sh test installs it): " + e.getMessage());
        }
        if (Files.isDirectory(TOOLS.resolve("node_modules/playwright-core"))) {
            return;
        }
        Files.createDirectories(TOOLS);
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", TOOLS.toString(), "playwright-core")
                    .redirectErrorStream(true).redirectOutput(TOOLS.resolve("npm.log").toFile()).start();
        } catch (IOException e) {
            Assumptions.abort("npm is not installed: " + e.getMessage());
            return;
        }
        boolean done = npm.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            npm.destroyForcibly();
        }
        Assumptions.assumeTrue(done && npm.exitValue() == 0, "npm could not install playwright-core (see " + TOOLS.resolve("npm.log") + ")");
    }
}
