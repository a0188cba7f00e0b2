package io.mooseng.s3compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static io.mooseng.s3compat.S3Assertions.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mooseng server --audit-log FILE}: a line per write and per refusal, with the README's
 * fields and no secret, beside the master's admin trail in the same file.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AuditLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void writesAndRefusalsAreLinesReadsAreNot() throws Exception {
        Path audit = tmp.resolve("audit.jsonl");
        S3Keys keys = S3Keys.random();
        Instant start = Instant.now();
        try (ServerProcess server = ServerProcess.Spec.jvm(tmp.resolve("data"), keys, "-Xmx512m")
                .withServerArgs("--audit-log", audit.toString()).start();
             S3Client s3 = server.newClient();
             S3Client wrongSecret = S3Clients.sync(server.endpoint(), new S3Keys(keys.accessKey(), "not-the-secret"))) {
            s3.createBucket(b -> b.bucket("audited"));
            String putId = s3.putObject(b -> b.bucket("audited").key("dir/a.txt"), RequestBody.fromString("a"))
                    .responseMetadata().requestId();
            s3.getObjectAsBytes(b -> b.bucket("audited").key("dir/a.txt"));
            s3.deleteObject(b -> b.bucket("audited").key("dir/a.txt"));
            assertS3Error(403, "SignatureDoesNotMatch", () -> wrongSecret.getObjectAsBytes(b -> b.bucket("audited").key("dir/a.txt")));

            List<JsonNode> all = lines(audit, 5);
            List<JsonNode> admin = all.stream().filter(l -> l.has("action")).toList();
            assertEquals(1, admin.size(), all::toString);
            assertEquals("register the cluster key and the first administrator", admin.get(0).get("action").asText());
            assertEquals("ok", admin.get(0).get("outcome").asText());
            List<JsonNode> lines = all.stream().filter(l -> l.has("operation")).toList();
            assertEquals(List.of("CreateBucket", "PutObject", "DeleteObject", "Unknown"),
                    lines.stream().map(l -> l.get("operation").asText()).toList(), "GetObject is a read: not audited");
            JsonNode put = lines.get(1);
            assertEquals(putId, put.get("requestId").asText());
            assertEquals(keys.accessKey(), put.get("accessKey").asText());
            assertTrue(put.get("source").asText().startsWith("127.0.0.1:"), put::toString);
            assertEquals("PUT", put.get("method").asText());
            assertEquals("audited", put.get("bucket").asText());
            assertEquals("dir/a.txt", put.get("key").asText());
            assertEquals(200, put.get("status").asInt());
            assertTrue(put.get("error").isNull());
            Instant time = Instant.parse(put.get("time").asText());
            assertTrue(!time.isBefore(start.minusSeconds(1)) && !time.isAfter(Instant.now()), put::toString);
            assertEquals(204, lines.get(2).get("status").asInt());

            JsonNode denied = lines.get(3);
            assertEquals("GET", denied.get("method").asText());
            assertEquals(403, denied.get("status").asInt());
            assertEquals("SignatureDoesNotMatch", denied.get("error").asText());
            assertEquals(keys.accessKey(), denied.get("accessKey").asText(), "the key the refused request named");
            assertEquals("dir/a.txt", denied.get("key").asText());

            String text = Files.readString(audit);
            assertFalse(text.contains(keys.secretKey()) || text.contains("not-the-secret"), text);
            assertFalse(Pattern.compile("[0-9a-f]{64}").matcher(text).find(), () -> "a SigV4 signature in " + text);
        }
    }

    /** The file's lines once it has {@code count} (they are appended in the background), as JSON. */
    private static List<JsonNode> lines(Path file, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            if (lines.size() >= count) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals(count, lines.size(), () -> "audit lines: " + String.join("\n", Files.exists(file) ? readAll(file) : List.of()));
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : lines) {
            parsed.add(JSON.readTree(line));
        }
        return parsed;
    }

    private static List<String> readAll(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (java.io.IOException e) {
            return List.of(e.toString());
        }
    }
}
