package io.mooseng.s3.handler;

import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A streaming multipart/form-data parser (RFC 7578) for browser form uploads: fields before
 * the file are collected (at most {@link #MAX_FIELDS_BYTES}, S3's limit), the file part named
 * {@code file} is passed on as slices of the pieces it arrives in, never held whole, and fields
 * after it are read and dropped, as S3 ignores them. Not thread-safe: one per request body.
 *
 * <p>The delimiter ({@code CRLF--boundary}) is found with a Knuth-Morris-Pratt matcher over the
 * stream, so a delimiter split across pieces is found and bytes held while they might start one
 * are the delimiter's own prefix: released as data from the delimiter itself when the match fails.
 */
final class FormDataParser {
    /** S3's limit for the fields before the file (MaxPostPreDataLengthExceeded). */
    static final int MAX_FIELDS_BYTES = 20 * 1024;
    private static final int MAX_PART_HEADER_BYTES = 8 * 1024;
    private static final String FILE_FIELD = "file";
    private static final int NOTHING = 0;
    private static final int PADDING = 1;
    private static final int DASH = 2;
    private static final int CR = 3;

    /** What the body holds, in order. */
    sealed interface Event {
    }

    /** @param name lower-cased, as S3 compares field names */
    record Field(String name, String value) implements Event {
    }

    /** @param filename as the browser sent it, or "" without one */
    record FileStart(String filename) implements Event {
    }

    /** File content, valid until the consumer of the piece it came in is done with it. */
    record FileData(ByteBuffer bytes) implements Event {
    }

    record FileEnd() implements Event {
    }

    private enum State { PREAMBLE, AFTER_DELIMITER, HEADERS, FIELD, FILE, IGNORED, EPILOGUE }

    private final byte[] delimiter;
    private final int[] fallback;
    private State state = State.PREAMBLE;
    /** Delimiter bytes matched so far; the preamble starts as if after a CRLF, so a body may open with --boundary. */
    private int matched = 2;
    private final ByteArrayOutputStream part = new ByteArrayOutputStream();
    private String fieldName;
    private int fieldsBytes;
    private boolean fileSeen;
    /** What followed the last delimiter: {@link #NOTHING} yet, padding, a dash or a CR. */
    private int afterDelimiter;

    FormDataParser(String boundary) {
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.fallback = fallback(delimiter);
    }

    /**
     * The boundary of a multipart/form-data Content-Type.
     *
     * @throws S3Exception MalformedPOSTRequest without one
     */
    static String boundary(String contentType) {
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            for (String param : contentType.split(";")) {
                String p = param.trim();
                if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                    String b = unquote(p.substring("boundary=".length()).trim());
                    if (!b.isEmpty() && b.length() <= 70) {
                        return b;
                    }
                }
            }
        }
        throw S3Error.MALFORMED_POST_REQUEST.exception("The body of your POST request is not well-formed multipart/form-data: "
                + "no boundary in its Content-Type.");
    }

    /**
     * Parses a piece of the body, passing what it completes to {@code events}.
     *
     * @throws S3Exception MalformedPOSTRequest, MaxPostPreDataLengthExceeded
     */
    void accept(ByteBuffer piece, Consumer<Event> events) {
        while (piece.hasRemaining()) {
            switch (state) {
                case PREAMBLE, FIELD, FILE, IGNORED -> scanContent(piece, events);
                case AFTER_DELIMITER -> afterDelimiter(piece.get());
                case HEADERS -> header(piece.get(), events);
                case EPILOGUE -> piece.position(piece.limit());
            }
        }
    }

    /** @throws S3Exception MalformedPOSTRequest unless the body ended with the closing delimiter */
    void finish() {
        if (state != State.EPILOGUE) {
            throw malformed("it ends before its closing boundary.");
        }
    }

    /** Content up to the next delimiter, or to the end of the piece. */
    private void scanContent(ByteBuffer piece, Consumer<Event> events) {
        int run = piece.position();
        int end = piece.limit();
        for (int i = piece.position(); i < end; i++) {
            byte b = piece.get(i);
            if (matched == 0 && b != delimiter[0]) {
                continue;
            }
            if (matched == 0) {
                content(piece, run, i, events);
                matched = 1;
                run = i + 1;
                continue;
            }
            while (matched > 0 && b != delimiter[matched]) {
                int next = fallback[matched - 1];
                content(ByteBuffer.wrap(Arrays.copyOf(delimiter, matched - next)), events);
                matched = next;
            }
            if (b == delimiter[matched]) {
                matched++;
                run = i + 1;
                if (matched == delimiter.length) {
                    matched = 0;
                    piece.position(i + 1);
                    endPart(events);
                    return;
                }
            } else {
                run = i;
            }
        }
        content(piece, run, end, events);
        piece.position(end);
    }

    private void content(ByteBuffer piece, int from, int to, Consumer<Event> events) {
        if (to > from) {
            content(piece.duplicate().limit(to).position(from).slice(), events);
        }
    }

    private void content(ByteBuffer bytes, Consumer<Event> events) {
        switch (state) {
            case FILE -> events.accept(new FileData(bytes));
            case FIELD -> {
                countFieldBytes(bytes.remaining());
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                part.writeBytes(copy);
            }
            default -> {
                // the preamble and fields after the file are dropped
            }
        }
    }

    private void endPart(Consumer<Event> events) {
        switch (state) {
            case FILE -> events.accept(new FileEnd());
            case FIELD -> events.accept(new Field(fieldName, part.toString(StandardCharsets.UTF_8)));
            default -> {
            }
        }
        part.reset();
        afterDelimiter = NOTHING;
        state = State.AFTER_DELIMITER;
    }

    /** "--" closes the body; optional padding (spaces, tabs) and CRLF open the next part's headers. */
    private void afterDelimiter(byte b) {
        switch (afterDelimiter) {
            case DASH -> {
                if (b != '-') {
                    throw malformed("a boundary is followed by neither CRLF nor --.");
                }
                state = State.EPILOGUE;
            }
            case CR -> {
                if (b != '\n') {
                    throw malformed("a boundary is followed by neither CRLF nor --.");
                }
                state = State.HEADERS;
            }
            default -> {
                if (b == '-' && afterDelimiter == NOTHING) {
                    afterDelimiter = DASH;
                } else if (b == '\r') {
                    afterDelimiter = CR;
                } else if (b == ' ' || b == '\t') {
                    afterDelimiter = PADDING;
                } else {
                    throw malformed("a boundary is followed by neither CRLF nor --.");
                }
            }
        }
    }

    private void header(byte b, Consumer<Event> events) {
        if (part.size() >= MAX_PART_HEADER_BYTES) {
            throw malformed("a part's headers are too long.");
        }
        if (!fileSeen) {
            countFieldBytes(1);
        }
        part.write(b);
        int n = part.size();
        if (n >= 4 && b == '\n') {
            byte[] h = part.toByteArray();
            if (h[n - 2] == '\r' && h[n - 3] == '\n' && h[n - 4] == '\r') {
                part.reset();
                startPart(new String(h, 0, n - 4, StandardCharsets.UTF_8), events);
            }
        }
    }

    private void startPart(String headers, Consumer<Event> events) {
        String name = null;
        String filename = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-disposition")) {
                for (String param : line.substring(colon + 1).split(";")) {
                    String p = param.trim();
                    int eq = p.indexOf('=');
                    String key = eq < 0 ? p.toLowerCase(Locale.ROOT) : p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                    if (key.equals("name") && eq > 0) {
                        name = unquote(p.substring(eq + 1).trim());
                    } else if (key.equals("filename") && eq > 0) {
                        filename = unquote(p.substring(eq + 1).trim());
                    }
                }
            }
        }
        if (name == null) {
            throw malformed("a part has no Content-Disposition name.");
        }
        name = name.toLowerCase(Locale.ROOT);
        if (fileSeen) {
            state = State.IGNORED;
        } else if (name.equals(FILE_FIELD)) {
            fileSeen = true;
            state = State.FILE;
            events.accept(new FileStart(filename == null ? "" : filename));
        } else {
            fieldName = name;
            state = State.FIELD;
        }
    }

    private void countFieldBytes(int n) {
        fieldsBytes += n;
        if (fieldsBytes > MAX_FIELDS_BYTES) {
            throw S3Error.MAX_POST_PRE_DATA_LENGTH_EXCEEDED.exception();
        }
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static S3Exception malformed(String why) {
        return S3Error.MALFORMED_POST_REQUEST.exception("The body of your POST request is not well-formed multipart/form-data: " + why);
    }

    /** KMP failure function: for each prefix length - 1, the length of its longest proper prefix that is also its suffix. */
    private static int[] fallback(byte[] pattern) {
        int[] f = new int[pattern.length];
        int k = 0;
        for (int i = 1; i < pattern.length; i++) {
            while (k > 0 && pattern[i] != pattern[k]) {
                k = f[k - 1];
            }
            if (pattern[i] == pattern[k]) {
                k++;
            }
            f[i] = k;
        }
        return f;
    }
}
