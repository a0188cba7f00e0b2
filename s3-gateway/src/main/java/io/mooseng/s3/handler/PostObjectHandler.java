package io.mooseng.s3.handler;

import io.mooseng.core.crypto.DataKey;
import io.mooseng.core.model.ObjectInfo;
import io.mooseng.core.model.ObjectProperties;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.object.ObjectService;
import io.mooseng.core.object.ObjectWriter;
import io.mooseng.s3.auth.CanonicalRequest;
import io.mooseng.s3.auth.HeaderText;
import io.mooseng.s3.auth.PayloadStream;
import io.mooseng.s3.auth.SigV4Authenticator;
import io.mooseng.s3.auth.SignedRequest;
import io.mooseng.s3.auth.UriEncoding;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.xml.PostResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * POST Object: a browser form upload, multipart/form-data posted to the bucket's URL. The fields
 * before the file are read first; then the form is authenticated (Signature Version 4 or 2 over
 * its policy, whose conditions it must meet; a form without a policy is an anonymous request) and
 * authorized ({@code s3:PutObject} on the key), and only then does the file part stream into
 * the object, bounded by the policy's content-length-range. The fields stand for a PutObject's
 * headers (Content-Type, x-amz-meta-*, {@code acl} for x-amz-acl, ...).
 */
public final class PostObjectHandler {
    /** A form around a file of S3's largest single upload. */
    private static final long MAX_FORM_BYTES = Upload.MAX_SIZE + FormDataParser.MAX_FIELDS_BYTES + 64 * 1024;
    /** Fields that authenticate or steer the upload rather than describe the object. */
    private static final Set<String> CONTROL_FIELDS = Set.of("key", "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date",
            "x-amz-signature", "x-amz-security-token", "awsaccesskeyid", "signature", "success_action_status", "success_action_redirect",
            "redirect");

    private final ObjectService objects;
    private final SigV4Authenticator authenticator;
    private final Authorization authorization;
    private final ServerSideEncryption encryption;
    private final Clock clock;

    public PostObjectHandler(ObjectService objects, SigV4Authenticator authenticator, Authorization authorization,
                             ServerSideEncryption encryption, Clock clock) {
        this.objects = objects;
        this.authenticator = authenticator;
        this.authorization = authorization;
        this.encryption = encryption;
        this.clock = clock;
    }

    /** A POST to a bucket is a form upload when its body is multipart/form-data. */
    public static boolean accepts(MultiMap headers) {
        String type = headers.get("content-type");
        return type != null && type.trim().toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    public Future<Void> post(S3Request req) {
        Form form = new Form(req, new FormDataParser(FormDataParser.boundary(req.header("content-type"))));
        PayloadStream payload = PayloadStream.open(req.auth(), req.headers(), MAX_FORM_BYTES);
        return RequestBodyPump.pump(req, payload, form::accept)
                .onFailure(e -> form.abort())
                .compose(checksum -> form.complete())
                .compose(stored -> form.answer(stored));
    }

    /** One upload's state: the fields read so far, then the object being written. Used on the request's context only. */
    private final class Form {
        private final S3Request req;
        private final FormDataParser parser;
        private final Map<String, String> fields = new LinkedHashMap<>();
        private String key;
        private PostPolicy.LengthRange range;
        private ObjectWriter<ObjectInfo> writer;
        private long size;
        private boolean fileEnded;

        Form(S3Request req, FormDataParser parser) {
            this.req = req;
            this.parser = parser;
        }

        /** A piece of the body: its events run in order, each waiting for the one before (opening the object, writes). */
        Future<Void> accept(ByteBuffer piece) {
            List<FormDataParser.Event> events = new ArrayList<>();
            try {
                parser.accept(piece, events::add);
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
            Future<Void> done = Future.succeededFuture();
            for (FormDataParser.Event event : events) {
                done = done.compose(v -> handle(event));
            }
            return done;
        }

        private Future<Void> handle(FormDataParser.Event event) {
            return switch (event) {
                case FormDataParser.Field f -> {
                    fields.putIfAbsent(f.name(), f.value());
                    yield Future.succeededFuture();
                }
                case FormDataParser.FileStart start -> begin(start.filename());
                case FormDataParser.FileData data -> write(data.bytes());
                case FormDataParser.FileEnd end -> {
                    fileEnded = true;
                    yield Future.succeededFuture();
                }
            };
        }

        /** The file begins: everything that can refuse the upload is checked before storage is asked for a writer. */
        private Future<Void> begin(String filename) {
            String keyField = fields.get("key");
            if (keyField == null) {
                throw S3Error.INVALID_ARGUMENT.exception("Bucket POST must contain a field named 'key'.  If it is specified, "
                        + "please check the order of the fields.");
            }
            key = keyField.replace("${filename}", filename);
            if (key.isEmpty()) {
                throw S3Error.INVALID_ARGUMENT.exception("User key must have a length greater than zero.");
            }
            ObjectHeaders.checkKeyLength(key);
            MultiMap headers = objectHeaders();
            ObjectHeaders.refuseUnsupported(headers);
            ObjectProperties props = ObjectHeaders.properties(headers);
            StorageClass storageClass = ObjectHeaders.storageClass(headers.get("x-amz-storage-class"));
            return authenticate()
                    .compose(v -> authorization.check(req, "s3:PutObject", req.bucket(), key))
                    .compose(v -> req.call(() -> objects.recentBucket(req.bucket())))
                    .compose(bucket -> {
                        OwnershipControlsHandler.checkAcl(headers, bucket.policy().objectOwnership());
                        DataKey dataKey = encryption.forWrite(req, bucket.policy().defaultEncryption());
                        return req.call(() -> objects.openWrite(req.bucket(), key, props, storageClass, -1, null, dataKey));
                    })
                    .map(w -> {
                        writer = w;
                        return null;
                    });
        }

        /** A signature over the policy, then the policy's conditions; a form without a policy stays anonymous. */
        private Future<Void> authenticate() {
            String policy = fields.get("policy");
            if (policy == null) {
                if (fields.containsKey("x-amz-signature") || fields.containsKey("signature")) {
                    throw S3Error.INVALID_ARGUMENT.exception("Bucket POST must contain a field named 'policy'.");
                }
                return Future.succeededFuture();
            }
            if (fields.containsKey("awsaccesskeyid")) {
                String accessKey = fields.get("awsaccesskeyid");
                String signature = required("signature");
                return Future.fromCompletionStage(authenticator.loadKey(accessKey), req.context())
                        .map(v -> checked(authenticator.authenticatePostV2(accessKey, policy, signature), policy));
            }
            if (!CanonicalRequest.ALGORITHM.equals(fields.get("x-amz-algorithm"))) {
                throw S3Error.INVALID_ARGUMENT.exception("Bucket POST must contain a field named 'x-amz-algorithm' with the value "
                        + CanonicalRequest.ALGORITHM + ".");
            }
            String credential = required("x-amz-credential");
            String date = required("x-amz-date");
            String signature = required("x-amz-signature");
            String token = fields.get("x-amz-security-token");
            int slash = credential.indexOf('/');
            Future<Void> loaded = token != null || slash <= 0 ? Future.succeededFuture()
                    : Future.fromCompletionStage(authenticator.loadKey(credential.substring(0, slash)), req.context());
            return loaded.map(v -> checked(authenticator.authenticatePost(credential, date, policy, signature, token), policy));
        }

        /** The form is whom its signature says; its fields must then meet its policy. */
        private Void checked(SignedRequest signed, String policy) {
            req.authenticated(signed);
            PostPolicy conditions = PostPolicy.parse(policy);
            conditions.check(fields, req.bucket(), clock.instant());
            range = conditions.lengthRange();
            return null;
        }

        private String required(String field) {
            String value = fields.get(field);
            if (value == null) {
                throw S3Error.INVALID_ARGUMENT.exception("Bucket POST must contain a field named '" + field + "'.");
            }
            return value;
        }

        /**
         * The fields that describe the object, as the headers of a PutObject would ({@code acl} is x-amz-acl).
         *
         * @throws io.mooseng.s3.error.S3Exception NotImplemented for tagging and encryption fields
         */
        private MultiMap objectHeaders() {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap();
            for (Map.Entry<String, String> f : fields.entrySet()) {
                String name = f.getKey();
                if (name.equals("tagging") || name.startsWith("x-amz-server-side-encryption")) {
                    throw S3Error.NOT_IMPLEMENTED.exception("The " + name + " field of form uploads is not implemented.");
                }
                if (!CONTROL_FIELDS.contains(name) && !name.startsWith("x-ignore-")) {
                    // header values are bytes as chars: the object's text is read back from them as from a header's
                    headers.add(name.equals("acl") ? "x-amz-acl" : name, HeaderText.toWire(f.getValue()));
                }
            }
            return headers;
        }

        private Future<Void> write(ByteBuffer bytes) {
            size += bytes.remaining();
            long max = range == null ? Upload.MAX_SIZE : Math.min(range.max(), Upload.MAX_SIZE);
            if (size > max) {
                throw S3Error.ENTITY_TOO_LARGE.exception("Your proposed upload exceeds the maximum allowed size of " + max + " bytes.");
            }
            return req.call(() -> writer.write(bytes));
        }

        /** The body ended: the form must have held a whole file of at least the policy's minimum length. */
        Future<ObjectInfo> complete() {
            try {
                parser.finish();
                if (writer == null || !fileEnded) {
                    throw S3Error.INVALID_ARGUMENT.exception("POST requires exactly one file upload per request.");
                }
                if (range != null && size < range.min()) {
                    throw S3Error.ENTITY_TOO_SMALL.exception("Your proposed upload is smaller than the minimum allowed size of "
                            + range.min() + " bytes.");
                }
            } catch (RuntimeException e) {
                abort();
                return Future.failedFuture(e);
            }
            return req.call(() -> writer.complete(null));
        }

        void abort() {
            if (writer != null) {
                Upload.abort(writer);
            }
        }

        /** success_action_redirect (303 to it), else success_action_status: 200, 201 with a document, or 204 (the default). */
        Future<Void> answer(ObjectInfo stored) {
            String etag = ObjectHeaders.quote(stored.etag());
            String location = (req.http().isSSL() ? "https://" : "http://") + req.header("host") + "/"
                    + UriEncoding.encode(req.bucket(), false) + "/" + UriEncoding.encode(key, true);
            req.response().putHeader("ETag", etag);
            String redirect = fields.getOrDefault("success_action_redirect", fields.get("redirect"));
            if (redirect != null && (redirect.startsWith("http://") || redirect.startsWith("https://"))) {
                req.response().putHeader("Location", redirect + (redirect.contains("?") ? "&" : "?")
                        + "bucket=" + UriEncoding.encode(req.bucket(), false) + "&key=" + UriEncoding.encode(key, false)
                        + "&etag=" + UriEncoding.encode(etag, false));
                return req.send(303);
            }
            req.response().putHeader("Location", location);
            String status = fields.get("success_action_status");
            if ("201".equals(status)) {
                return req.sendXml(201, new PostResponse(location, req.bucket(), key, etag));
            }
            return req.send("200".equals(status) ? 200 : 204);
        }
    }
}
