package io.mooseng.s3compat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** The metric families a {@code /metrics} endpoint serves, from its {@code # TYPE} lines. */
final class PrometheusText {
    private PrometheusText() {
    }

    /** Family name to type (counter, gauge, histogram, ...). */
    static Map<String, String> families(URI metrics) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError(metrics + " answered " + r.statusCode());
        }
        Map<String, String> families = new TreeMap<>();
        r.body().lines().filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")).forEach(f -> families.put(f[2], f[3]));
        return families;
    }
}
