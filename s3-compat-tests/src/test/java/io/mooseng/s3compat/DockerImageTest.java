package io.mooseng.s3compat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/Dockerfile checked without a Docker engine: its module list is what jdeps finds in the
 * built jars, and its final stage, assembled here from the build output as its COPY lines say,
 * on a runtime linked as its jlink line says, started through its ENTRYPOINT with its ENV, serves
 * S3. What this cannot check: the base images, apt-get, and the Maven build inside the image.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DockerImageTest {
    private static final Path ROOT = RepoRoot.find();
    /** The build stage's work folder: the build context (this checkout) with its build output. */
    private static final String BUILD_DIR = "/src/";

    @Test
    void theRuntimeHasExactlyTheModulesJdepsFinds() throws IOException {
        Path target = built("cli/target");
        List<String> args = new ArrayList<>(List.of("--print-module-deps", "--ignore-missing-deps", "--multi-release", "25",
                target.resolve("mooseng.jar").toString()));
        try (Stream<Path> libs = Files.list(target.resolve("lib"))) {
            libs.map(Path::toString).filter(p -> p.endsWith(".jar")).sorted().forEach(args::add);
        }
        // the list is its last line; warnings (split packages) come before it
        List<String> lines = run("jdeps", args).lines().filter(l -> !l.isBlank()).toList();
        String found = lines.getLast();
        assertEquals(modules(found), modules(dockerfile().arg("JDK_MODULES")),
                "the Dockerfile's JDK_MODULES must be what jdeps prints (see the comment there)");
    }

    @Test
    void theFinalStageServesS3OnTheTrimmedRuntime(@TempDir Path tmp) throws Exception {
        Dockerfile file = dockerfile();
        Path image = tmp.resolve("image");
        for (String[] copy : file.copies()) {
            Path to = inImage(image, copy[2]);
            switch (copy[0]) {
                case "build" -> {
                    assertTrue(copy[1].startsWith(BUILD_DIR), "copied from outside the build folder: " + copy[1]);
                    copyTree(built(copy[1].substring(BUILD_DIR.length())), to);
                }
                case "runtime" -> link(file, to);
                default -> throw new AssertionError("COPY from an unknown stage: " + copy[0]);
            }
        }
        Map<String, String> env = new HashMap<>();
        file.env().forEach((k, v) -> {
            if (!v.contains("$")) {   // PATH extends the base image's: the launcher is started by its path here
                env.put(k, v.startsWith("/") ? inImage(image, v).toString() : v);
            }
        });
        Path entrypoint = inImage(image, file.entrypoint());
        assertTrue(Files.isExecutable(entrypoint), "ENTRYPOINT " + file.entrypoint() + " is not an executable the image holds");

        S3Keys keys = S3Keys.random();
        ServerProcess.Spec spec = ServerProcess.Spec.launcher(entrypoint, tmp.resolve("data"), keys, Duration.ofSeconds(120)).withEnv(env);
        try (ServerProcess server = spec.start(); S3Client s3 = S3Clients.sync(server.endpoint(), keys)) {
            byte[] data = TestData.bytes(7, TestData.MiB);
            s3.createBucket(b -> b.bucket("image"));
            s3.putObject(b -> b.bucket("image").key("a"), RequestBody.fromBytes(data));
            assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("image").key("a")).asByteArray());
            server.stop();
        }
    }

    /** jlink as the runtime stage runs it, with the module list and the output mapped here. */
    private static void link(Dockerfile file, Path output) {
        List<String> args = new ArrayList<>();
        List<String> line = Arrays.asList(file.run("jlink").split("\\s+"));
        for (int i = 1; i < line.size(); i++) {
            String a = line.get(i).replace("\"", "").replace("$JDK_MODULES", file.arg("JDK_MODULES"));
            args.add(a);
            if (a.equals("--output")) {
                args.add(output.toString());
                i++;
            }
        }
        run("jlink", args);
    }

    private static String run(String tool, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ToolProvider.findFirst(tool).orElseThrow().run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args.toArray(String[]::new));
        assertEquals(0, status, tool + " " + args + " failed: " + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Set<String> modules(String list) {
        return new TreeSet<>(Arrays.asList(list.split(",")));
    }

    private static Path inImage(Path image, String absolute) {
        return image.resolve(absolute.substring(1));
    }

    private static Path built(String relative) {
        Path p = ROOT.resolve(relative);
        assertTrue(Files.exists(p), p + " is missing: the image copies it from the build (mvn package)");
        return p;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.createDirectories(dest.getParent());
                    Files.copy(p, dest, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static Dockerfile dockerfile() throws IOException {
        return Dockerfile.parse(Files.readString(ROOT.resolve("docker/Dockerfile")));
    }

    /** The instructions of a Dockerfile (continuation lines joined, comments dropped), as much as these checks read. */
    record Dockerfile(List<String> instructions) {
        static Dockerfile parse(String text) {
            List<String> out = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : text.lines().toList()) {
                if (line.strip().startsWith("#")) {
                    continue;
                }
                boolean continued = line.endsWith("\\");
                current.append(continued ? line.substring(0, line.length() - 1) : line).append(' ');
                if (!continued) {
                    if (!current.toString().isBlank()) {
                        out.add(current.toString().strip());
                    }
                    current.setLength(0);
                }
            }
            return new Dockerfile(List.copyOf(out));
        }

        /** The instructions of the last stage: what the image is. */
        List<String> finalStage() {
            int from = 0;
            for (int i = 0; i < instructions.size(); i++) {
                if (instructions.get(i).startsWith("FROM ")) {
                    from = i;
                }
            }
            return instructions.subList(from, instructions.size());
        }

        /** The default of {@code ARG NAME=VALUE}. */
        String arg(String name) {
            return instructions.stream().filter(i -> i.startsWith("ARG " + name + "=")).findFirst()
                    .map(i -> i.substring(("ARG " + name + "=").length()))
                    .orElseThrow(() -> new AssertionError("no ARG " + name + " with a default"));
        }

        /** The command of the {@code RUN} instruction that runs {@code program}. */
        String run(String program) {
            return instructions.stream().filter(i -> i.startsWith("RUN " + program + " ")).findFirst()
                    .map(i -> i.substring("RUN ".length()))
                    .orElseThrow(() -> new AssertionError("no RUN " + program));
        }

        /** The final stage's {@code COPY --from=STAGE SRC DEST} as {STAGE, SRC, DEST}. */
        List<String[]> copies() {
            return finalStage().stream().filter(i -> i.startsWith("COPY ")).map(i -> {
                String[] t = i.split("\\s+");
                assertEquals(4, t.length, "COPY --from=STAGE SRC DEST expected: " + i);
                assertTrue(t[1].startsWith("--from="), "the final stage copies from a stage only: " + i);
                return new String[] {t[1].substring("--from=".length()), t[2], t[3]};
            }).toList();
        }

        /** The final stage's {@code ENV K=V ...}. */
        Map<String, String> env() {
            Map<String, String> env = new HashMap<>();
            finalStage().stream().filter(i -> i.startsWith("ENV ")).forEach(i -> {
                for (String kv : i.substring("ENV ".length()).strip().split("\\s+")) {
                    int eq = kv.indexOf('=');
                    assertTrue(eq > 0, "ENV K=V expected: " + i);
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            });
            return env;
        }

        /** The program of the exec-form {@code ENTRYPOINT ["PROGRAM"]}. */
        String entrypoint() throws IOException {
            String line = finalStage().stream().filter(i -> i.startsWith("ENTRYPOINT ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no ENTRYPOINT"));
            String[] exec = new ObjectMapper().readValue(line.substring("ENTRYPOINT ".length()), String[].class);
            return exec[0];
        }
    }
}
