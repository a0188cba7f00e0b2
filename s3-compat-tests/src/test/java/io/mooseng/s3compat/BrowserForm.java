package io.mooseng.s3compat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A browser's form upload (POST Object) to one bucket: its fields in order, signed as a page's
 * script signs them (Signature Version 4 over the base64 policy), framed as multipart/form-data
 * with the file part last.
 */
final class BrowserForm {
    static final String BOUNDARY = "----MooseNGFormBoundaryq8Zx3";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    final Map<String, String> fields = new LinkedHashMap<>();
    private final List<String> conditions = new ArrayList<>();
    private final String bucket;
    Instant expiration = Instant.now().plus(Duration.ofMinutes(10));

    BrowserForm(String bucket) {
        this.bucket = bucket;
    }

    BrowserForm field(String name, String value) {
        fields.put(name, value);
        return this;
    }

    /** A field and the policy condition that admits it exactly. */
    BrowserForm exact(String name, String value) {
        conditions.add("[\"eq\", \"$" + name + "\", \"" + value + "\"]");
        return field(name, value);
    }

    BrowserForm condition(String json) {
        conditions.add(json);
        return this;
    }

    /** Adds the policy (with a bucket condition), algorithm, credential, date and signature fields. */
    BrowserForm signed(S3Keys keys) {
        String date = AMZ_DATE.format(Instant.now());
        String credential = keys.accessKey() + "/" + date.substring(0, 8) + "/us-east-1/s3/aws4_request";
        exact("x-amz-algorithm", "AWS4-HMAC-SHA256").exact("x-amz-credential", credential).exact("x-amz-date", date);
        List<String> all = new ArrayList<>(conditions);
        all.add("{\"bucket\": \"" + bucket + "\"}");
        String policy = Base64.getEncoder().encodeToString(("{\"expiration\": \"" + expiration + "\", \"conditions\": ["
                + String.join(", ", all) + "]}").getBytes(StandardCharsets.UTF_8));
        fields.put("policy", policy);
        fields.put("x-amz-signature", sign(keys.secretKey(), date.substring(0, 8), policy));
        return this;
    }

    /** The body before the file's bytes: the fields and the file part's headers. */
    byte[] head(String filename) {
        StringBuilder head = new StringBuilder();
        fields.forEach((name, value) -> head.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"")
                .append(name).append("\"\r\n\r\n").append(value).append("\r\n"));
        head.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"").append(filename)
                .append("\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The body after the file's bytes: a field the server ignores (after the file) and the closing boundary. */
    static byte[] tail() {
        return ("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"submit\"\r\n\r\nUpload\r\n--" + BOUNDARY + "--\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The whole body around {@code file}. */
    byte[] body(String filename, byte[] file) {
        byte[] head = head(filename);
        byte[] tail = tail();
        byte[] body = new byte[head.length + file.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(file, 0, body, head.length, file.length);
        System.arraycopy(tail, 0, body, head.length + file.length, tail.length);
        return body;
    }

    /** A body streamed as it is sent (chunked), the file's bytes from {@code file}: never held whole by the client. */
    HttpRequest.BodyPublisher streamed(String filename, Supplier<InputStream> file) {
        byte[] head = head(filename);
        return HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(new ByteArrayInputStream(head),
                new SequenceInputStream(file.get(), new ByteArrayInputStream(tail()))));
    }

    /** The POST to the bucket's URL, path style. */
    HttpRequest request(URI endpoint, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(URI.create(endpoint + "/" + bucket))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY).POST(body).build();
    }

    private static String sign(String secret, String day, String policy) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), day);
        for (String part : new String[]{"us-east-1", "s3", "aws4_request"}) {
            key = hmac(key, part);
        }
        return HexFormat.of().formatHex(hmac(key, policy));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
