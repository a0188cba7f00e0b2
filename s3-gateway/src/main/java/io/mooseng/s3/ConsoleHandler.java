package io.mooseng.s3;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web console's static files (resources under {@code io/mooseng/s3/console/}), served
 * without authentication under {@link #PATH}: they hold no data, the browser signs every call
 * it makes with the key pair typed at sign-in. The path's first segment is "-", which no bucket
 * name can be, so the console never hides a bucket (a bucket may be called "console").
 * Only the files listed here exist: no directory listing, anything else is 404.
 */
final class ConsoleHandler {
    static final String PATH = "/-/console/";
    /** What a console page may load and talk to: its own files and the gateway it came from. */
    private static final String CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "sigv4.js", "text/javascript; charset=utf-8",
            "s3api.js", "text/javascript; charset=utf-8",
            "pages.js", "text/javascript; charset=utf-8");

    private final Map<String, Buffer> contents;

    ConsoleHandler() {
        Map<String, Buffer> loaded = new java.util.HashMap<>();
        FILES.keySet().forEach(name -> loaded.put(name, Buffer.buffer(resource(name))));
        this.contents = Map.copyOf(loaded);
    }

    /** Whether a path-style request path is the console's (the bare {@code /-/console} is redirected). */
    static boolean addresses(String path) {
        return path != null && (path.startsWith(PATH) || path.equals(PATH.substring(0, PATH.length() - 1)));
    }

    /**
     * A browser typing {@code /console/}: an unsigned GET asking for HTML is sent to {@link #PATH}.
     * S3 clients reach a bucket named "console" as ever: they sign (or presign) and ask for no HTML.
     */
    static boolean typedByBrowser(HttpServerRequest http) {
        String path = http.path();
        String query = http.query() == null ? "" : http.query();
        return http.method() == HttpMethod.GET && ("/console".equals(path) || "/console/".equals(path))
                && http.getHeader("authorization") == null && !query.contains("Signature=")
                && String.valueOf(http.getHeader("accept")).contains("text/html");
    }

    /** Sends a browser that typed {@code /console/} to the console. */
    static void redirect(HttpServerRequest http) {
        http.resume();
        http.response().setStatusCode(302).putHeader("Location", PATH).end();
    }

    void handle(HttpServerRequest http) {
        http.resume();
        HttpServerResponse response = http.response();
        String path = http.path();
        if (!path.endsWith("/") && path.equals(PATH.substring(0, PATH.length() - 1))) {
            response.setStatusCode(301).putHeader("Location", PATH).end();
            return;
        }
        String name = path.substring(PATH.length());
        name = name.isEmpty() ? "index.html" : name;
        Buffer body = contents.get(name);
        if (http.method() != HttpMethod.GET && http.method() != HttpMethod.HEAD) {
            response.setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
        } else if (body == null) {
            response.setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("Not found\n");
        } else {
            MultiMap headers = response.headers();
            headers.set("Content-Type", FILES.get(name));
            headers.set("Content-Security-Policy", CSP);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("Cache-Control", "no-cache");
            response.setStatusCode(200);
            if (http.method() == HttpMethod.HEAD) {
                response.putHeader("Content-Length", String.valueOf(body.length())).end();
            } else {
                response.end(body);
            }
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = ConsoleHandler.class.getResourceAsStream("console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console file missing from the gateway's jar: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
