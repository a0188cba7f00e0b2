package io.mooseng.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Option;

import java.util.function.Supplier;

/** {@code --json}: an admin command prints its result as JSON (for scripts) instead of text (for people). */
final class OutputOption {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--json", description = "Print the result as JSON instead of text.")
    boolean json;

    /** Prints {@code document} as JSON with --json, else the text. */
    void print(Object document, Supplier<String> text) throws JsonProcessingException {
        System.out.println(json ? JSON.writeValueAsString(document) : text.get());
    }
}
