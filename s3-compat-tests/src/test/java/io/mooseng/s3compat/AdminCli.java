package io.mooseng.s3compat;

import io.mooseng.cli.Main;

import java.io.ByteArrayOutputStream;
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
    static String run(String masters, String... args) {
        Outcome o = execute(masters, args);
        assertEquals(0, o.status, "mooseng admin " + String.join(" ", args) + " printed:\n" + o.printed);
        return o.printed;
    }

    static Outcome execute(String masters, String... args) {
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
}
