package io.mooseng.cli;

import picocli.CommandLine.Option;

/** {@code --progress auto|always|never} of a long command (see {@link ProgressPrinter}). */
public final class ProgressOption {
    @Option(names = "--progress", defaultValue = "auto", paramLabel = "auto|always|never",
            description = "Progress with rate and time left on stderr: a line rewritten every second on a terminal, one every 10 s "
                    + "otherwise (auto, always), or none.")
    public String mode;
}
