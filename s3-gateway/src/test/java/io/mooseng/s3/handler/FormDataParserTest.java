package io.mooseng.s3.handler;

import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FormDataParserTest {
    private static final String BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

    /** What a parse produced. */
    private static final class Parsed {
        final Map<String, String> fields = new LinkedHashMap<>();
        final ByteArrayOutputStream file = new ByteArrayOutputStream();
        String filename;
        int fileEnds;
    }

    private static byte[] form(byte[] file, String... fields) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("preamble to ignore\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < fields.length; i += 2) {
            b.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + fields[i] + "\"\r\n\r\n" + fields[i + 1] + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        b.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(file);
        b.writeBytes(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nignored\r\n--" + BOUNDARY + "--\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    private static Parsed parse(byte[] body, int pieceSize) {
        Parsed p = new Parsed();
        FormDataParser parser = new FormDataParser(BOUNDARY);
        for (int at = 0; at < body.length; at += pieceSize) {
            ByteBuffer piece = ByteBuffer.wrap(body, at, Math.min(pieceSize, body.length - at));
            parser.accept(piece, e -> {
                switch (e) {
                    case FormDataParser.Field f -> p.fields.put(f.name(), f.value());
                    case FormDataParser.FileStart s -> p.filename = s.filename();
                    case FormDataParser.FileData d -> {
                        byte[] copy = new byte[d.bytes().remaining()];
                        d.bytes().get(copy);
                        p.file.writeBytes(copy);
                    }
                    case FormDataParser.FileEnd end -> p.fileEnds++;
                }
            });
        }
        parser.finish();
        return p;
    }

    @Test
    void fieldsAndFileComeOutWhateverThePiecesAre() {
        // content that starts delimiters without finishing them, and ends in a CR
        byte[] file = ("line\r\n--" + BOUNDARY.substring(0, 10) + "x\r\n\r\n-\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1) + "X\r").getBytes(StandardCharsets.US_ASCII);
        byte[] body = form(file, "Key", "uploads/${filename}", "x-amz-meta-name", "Zoë");
        for (int size : new int[]{1, 2, 3, 5, 7, 13, 64, body.length}) {
            Parsed p = parse(body, size);
            assertEquals(Map.of("key", "uploads/${filename}", "x-amz-meta-name", "Zoë"), p.fields, "pieces of " + size);
            assertArrayEquals(file, p.file.toByteArray(), "pieces of " + size);
            assertEquals("photo.jpg", p.filename);
            assertEquals(1, p.fileEnds);
        }
    }

    @Test
    void binaryFileOfRandomBytes() {
        byte[] file = new byte[200_000];
        new Random(7).nextBytes(file);
        byte[] body = form(file, "key", "k");
        for (int size : new int[]{1000, 8192, 65536}) {
            assertArrayEquals(file, parse(body, size).file.toByteArray());
        }
    }

    @Test
    void malformedBodiesAreRefused() {
        byte[] body = form("data".getBytes(StandardCharsets.US_ASCII), "key", "k");
        byte[] cut = java.util.Arrays.copyOf(body, body.length - 10);
        assertEquals(S3Error.MALFORMED_POST_REQUEST, assertThrows(S3Exception.class, () -> parse(cut, 100)).error());
        byte[] noName = ("--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + BOUNDARY + "--").getBytes(StandardCharsets.US_ASCII);
        assertEquals(S3Error.MALFORMED_POST_REQUEST, assertThrows(S3Exception.class, () -> parse(noName, 100)).error());
        byte[] badAfterBoundary = ("--" + BOUNDARY + "X\r\n").getBytes(StandardCharsets.US_ASCII);
        assertEquals(S3Error.MALFORMED_POST_REQUEST, assertThrows(S3Exception.class, () -> parse(badAfterBoundary, 100)).error());
        assertEquals(S3Error.MALFORMED_POST_REQUEST, assertThrows(S3Exception.class, () -> FormDataParser.boundary("text/plain")).error());
        assertEquals("a b", FormDataParser.boundary("multipart/form-data; boundary=\"a b\""));
    }

    @Test
    void fieldsBeforeTheFileAreLimitedAsOnS3() {
        byte[] body = form(new byte[10], "key", "k", "x-amz-meta-big", "v".repeat(FormDataParser.MAX_FIELDS_BYTES));
        assertEquals(S3Error.MAX_POST_PRE_DATA_LENGTH_EXCEEDED, assertThrows(S3Exception.class, () -> parse(body, 4096)).error());
    }
}
