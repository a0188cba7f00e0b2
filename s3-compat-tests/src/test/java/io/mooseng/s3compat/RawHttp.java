package io.mooseng.s3compat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HTTP/1.1 over a bare socket, for requests no client library sends: short bodies, huge headers. */
final class RawHttp {
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

    /** @param status -1 when the server closed the connection without answering */
    record Response(int status, String head, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return head + text();
        }
    }

    private RawHttp() {
    }

    /**
     * Writes {@code request} (head and whatever body bytes), optionally half-closes, and reads
     * one response.
     *
     * @throws AssertionError if the server neither answers nor closes within {@code timeout}: a hang
     */
    static Response exchange(int port, byte[] request, boolean closeOutput, Duration timeout) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout((int) timeout.toMillis());
            try {
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
                if (closeOutput) {
                    s.shutdownOutput();
                }
            } catch (IOException e) {
                // the server may answer and close before taking everything (oversize headers): read what it said
            }
            return read(s.getInputStream(), timeout);
        }
    }

    /**
     * A request as bytes: header values in UTF-8 (as curl sends them), then {@code body} with
     * Content-Length, or with {@code chunkSize > 0} as Transfer-Encoding: chunked without
     * Content-Length, in chunks of that many bytes.
     *
     * @param pathAndQuery already URL-encoded
     */
    static byte[] request(String method, String pathAndQuery, int port, Map<String, List<String>> headers, byte[] body, int chunkSize) {
        StringBuilder head = new StringBuilder(method + " " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
        headers.forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n"));
            }
        });
        head.append(chunkSize > 0 ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: " + body.length + "\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 1024);
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        if (chunkSize <= 0) {
            out.writeBytes(body);
            return out.toByteArray();
        }
        for (int off = 0; off < body.length; off += chunkSize) {
            int n = Math.min(chunkSize, body.length - off);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, off, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static Response read(InputStream in, Duration timeout) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
                Response complete = parse(got.toByteArray());
                if (complete != null) {
                    return complete;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer and no close within " + timeout + "; got so far: "
                    + got.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // connection reset: fall through with what arrived
        }
        Response partial = parse(got.toByteArray());
        if (partial != null) {
            return partial;
        }
        String text = got.toString(StandardCharsets.UTF_8);
        Matcher m = STATUS.matcher(text);
        return m.find() ? new Response(Integer.parseInt(m.group(1)), text, new byte[0]) : new Response(-1, text, new byte[0]);
    }

    /** The response if {@code data} holds all of it (head plus Content-Length bytes), else null. */
    private static Response parse(byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return null;
        }
        String head = text.substring(0, end + 4);
        Matcher status = STATUS.matcher(head);
        if (!status.find()) {
            return new Response(-1, head, new byte[0]);
        }
        Matcher cl = CONTENT_LENGTH.matcher(head);
        int length = cl.find() ? Integer.parseInt(cl.group(1)) : 0;
        if (data.length < end + 4 + length) {
            return null;
        }
        byte[] body = new byte[length];
        System.arraycopy(data, end + 4, body, 0, length);
        return new Response(Integer.parseInt(status.group(1)), head, body);
    }
}
