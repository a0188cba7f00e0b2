package io.mooseng.s3compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The dashboards the compose demo provisions (docker/grafana/dashboards), parsed. */
final class GrafanaDashboards {
    static final Path DIR = RepoRoot.find().resolve("docker/grafana/dashboards");

    /** One query of a dashboard. */
    record Query(String dashboard, String expr) {
    }

    private GrafanaDashboards() {
    }

    static List<JsonNode> all() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> dashboards = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(json.readTree(f.toFile()));
            }
        }
        return dashboards;
    }

    /** Every {@code expr} of every dashboard, at any depth (panels, rows' panels, variables). */
    static List<Query> queries() throws IOException {
        List<Query> queries = new ArrayList<>();
        for (JsonNode d : all()) {
            d.findValues("expr").forEach(e -> queries.add(new Query(d.path("title").asText(), e.asText())));
        }
        return queries;
    }
}
