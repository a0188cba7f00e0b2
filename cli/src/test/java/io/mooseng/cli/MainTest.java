package io.mooseng.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class MainTest {
    private static final Set<String> ALL = Set.of("server", "master", "chunkserver", "gateway", "mount", "metalogger", "admin",
            "bench", "import", "generate-completion");

    @Test
    void aProcessBuildsOnlyTheSubcommandItRuns() {
        assertEquals(Set.of("master"), Main.commandLine("master").getSubcommands().keySet());
        assertEquals(Set.of("admin"), Main.commandLine("admin").getSubcommands().keySet());
    }

    @Test
    void helpCompletionAndUnknownCommandsSeeEverySubcommand() {
        assertEquals(ALL, Main.commandLine().getSubcommands().keySet());
        assertEquals(ALL, Main.commandLine("--help").getSubcommands().keySet());
        assertEquals(ALL, Main.commandLine("generate-completion").getSubcommands().keySet());
        CommandLine unknown = Main.commandLine("mastr");
        assertEquals(ALL, unknown.getSubcommands().keySet());
        StringWriter err = new StringWriter();
        unknown.setErr(new PrintWriter(err));
        assertNotEquals(0, unknown.execute("mastr"));
        assertTrue(err.toString().contains("Did you mean: mooseng master"), err.toString());
    }
}
