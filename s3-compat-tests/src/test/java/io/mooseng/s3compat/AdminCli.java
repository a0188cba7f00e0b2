package io.mooseng.s3compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mooseng.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code mooseng admin ...} (and other client commands) run in this JVM against a cluster's masters, as an operator types it. */
public final class AdminCli {
    /** What a command printed and its exit status. */
    public record Outcome(int status, String printed) {
    }

    private AdminCli() {
    }

    /** @return what the command printed; fails the test unless it exits 0 */
    public static String run(String masters, String... args) {
        Outcome o = execute(masters, args);
        assertEquals(0, o.status, "mooseng admin " + String.join(" ", args) + " printed:\n" + o.printed);
        return o.printed;
    }

    public static Outcome execute(String masters, String... args) {
        List<String> all = new ArrayList<>(List.of("admin"));
        all.addAll(List.of(args));
        return mooseng(masters, all.toArray(String[]::new));
    }

    /** {@code mooseng ARGS --masters MASTERS}: what it printed on stdout and its exit status. */
    public static Outcome mooseng(String masters, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int status;
        try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--masters", masters));
            status = Main.commandLine().execute(all.toArray(String[]::new));
        } finally {
            System.setOut(saved);
        }
        return new Outcome(status, out.toString(StandardCharsets.UTF_8));
    }

    /** A new user with these identity policies (IAM JSON; none: only bucket policies grant it anything) and a key. */
    public static S3Keys addUser(String masters, String name, String... policies) {
        List<String> args = new ArrayList<>(List.of("user", "add", name));
        for (String p : policies) {
            args.add("--policy");
            args.add(p);
        }
        run(masters, args.toArray(String[]::new));
        return newKey(masters, name);
    }

    /** A new key of an existing user, as `admin key create --user NAME --json` prints it. */
    public static S3Keys newKey(String masters, String user, String... options) {
        List<String> args = new ArrayList<>(List.of("key", "create", "--user", user, "--json"));
        args.addAll(List.of(options));
        try {
            JsonNode out = new ObjectMapper().readTree(run(masters, args.toArray(String[]::new)));
            return new S3Keys(out.get("accessKey").asText(), out.get("secretKey").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
