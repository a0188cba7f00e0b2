package io.mooseng.s3;

import io.mooseng.core.crypto.KeyRing;
import io.mooseng.core.object.ObjectService;
import io.mooseng.s3.handler.ConsoleStatus;
import io.mooseng.s3.auth.QueryString;
import io.mooseng.s3.auth.SessionTokens;
import io.mooseng.s3.auth.SigV4Authenticator;
import io.mooseng.s3.auth.UriEncoding;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.mooseng.s3.handler.AclHandler;
import io.mooseng.s3.handler.AdminHandler;
import io.mooseng.s3.handler.Authorization;
import io.mooseng.s3.handler.BucketPolicyHandler;
import io.mooseng.s3.handler.BucketEncryptionHandler;
import io.mooseng.s3.handler.BucketHandler;
import io.mooseng.s3.handler.ServerSideEncryption;
import io.mooseng.s3.handler.CopyObjectHandler;
import io.mooseng.s3.handler.CorsHandler;
import io.mooseng.s3.handler.DeleteObjectsHandler;
import io.mooseng.s3.handler.ListObjectsHandler;
import io.mooseng.s3.handler.ListUploadsHandler;
import io.mooseng.s3.handler.MultipartHandler;
import io.mooseng.s3.handler.LifecycleHandler;
import io.mooseng.s3.handler.NotificationHandler;
import io.mooseng.s3.handler.ObjectAttributesHandler;
import io.mooseng.s3.handler.ObjectHandler;
import io.mooseng.s3.handler.ObjectLockHandler;
import io.mooseng.s3.handler.OwnershipControlsHandler;
import io.mooseng.s3.handler.PostObjectHandler;
import io.mooseng.s3.handler.S3Handler;
import io.mooseng.s3.handler.S3Request;
import io.mooseng.s3.handler.ServiceHandler;
import io.mooseng.s3.handler.TaggingHandler;
import io.mooseng.s3.handler.VersioningHandler;
import io.mooseng.s3.handler.StsHandler;
import io.mooseng.s3.handler.SyncHandler;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

import static io.mooseng.s3.Permission.ROOT_ONLY;
import static io.mooseng.s3.Permission.eachKey;
import static io.mooseng.s3.Permission.of;
import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.HEAD;
import static io.vertx.core.http.HttpMethod.OPTIONS;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;

/**
 * The one S3 route table: (method, addressed resource, sub-resources present, condition)
 * to operation, the IAM action it needs, and handler; and the request lifecycle around it:
 * addressing (path style or virtual-host style), authentication, authorization, dispatch,
 * error answers, metrics.
 *
 * <p>A route matches when the request's S3 sub-resources (query parameters that select an
 * operation, like {@code ?uploads}) are exactly the route's; other parameters ({@code x-id},
 * {@code prefix}) are arguments. A sub-resource no route takes is answered 501 NotImplemented.
 */
public final class S3Router implements Handler<HttpServerRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(S3Router.class);

    /** S3's operation-selecting query parameters; any of them without a route is NotImplemented. */
    static final Set<String> SUBRESOURCES = Set.of("accelerate", "acl", "analytics", "attributes", "cors", "delete",
            "encryption", "intelligent-tiering", "inventory", "legal-hold", "lifecycle", "location", "logging",
            "metrics", "notification", "object-lock", "ownershipControls", "partNumber", "policy", "policyStatus",
            "publicAccessBlock", "replication", "requestPayment", "restore", "retention", "select", "session",
            "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions", "website",
            // MooseNG's own: multisite sync between zones, the web console's administration calls
            "mooseng-sync", AdminHandler.SUBRESOURCE);

    enum Target { SERVICE, BUCKET, OBJECT }

    /** @param permission what the caller must be allowed: AWS's IAM action for the operation (and where it is checked) */
    record Route(HttpMethod method, Target target, Set<String> subresources, BiPredicate<QueryString, MultiMap> when,
                 String operation, Permission permission, S3Handler handler) {
    }

    private final List<Route> routes;
    private final SigV4Authenticator authenticator;
    private final String virtualHostSuffix;
    private final S3Metrics metrics;
    private final CorsHandler cors;
    private final AuditLog audit;
    private final Authorization authorization;
    private final StsHandler sts;
    private final ConsoleHandler console = new ConsoleHandler();

    /**
     * @param sessions what issues temporary credentials (STS), or null on a gateway without the cluster key
     * @param audit    where writes and refusals are recorded, or null
     * @param status   what the console's status calls read
     */
    S3Router(ObjectService objects, SigV4Authenticator authenticator, SessionTokens sessions, S3GatewayConfig config, S3Metrics metrics,
             AuditLog audit, ConsoleStatus status) {
        this.authenticator = authenticator;
        this.audit = audit;
        this.virtualHostSuffix = config.virtualHostDomain() == null ? null : "." + config.virtualHostDomain();
        this.metrics = metrics;
        ServiceHandler service = new ServiceHandler(objects, config.answeredRegion());
        BucketHandler buckets = new BucketHandler(objects, config.region(), config.answeredRegion());
        ListObjectsHandler listing = new ListObjectsHandler(objects);
        this.authorization = new Authorization(objects);
        this.sts = new StsHandler(sessions, authorization);
        DeleteObjectsHandler deletes = new DeleteObjectsHandler(objects, authorization);
        ListUploadsHandler uploads = new ListUploadsHandler(objects);
        ServerSideEncryption encryption = new ServerSideEncryption(config.clusterKey() == null ? null : new KeyRing(config.clusterKey()));
        ObjectHandler object = new ObjectHandler(objects, encryption, authenticator.credentials(), authorization,
                config.peerReadTimeoutMillis());
        CopyObjectHandler copies = new CopyObjectHandler(objects, authorization, encryption);
        BucketEncryptionHandler bucketEncryption = new BucketEncryptionHandler(objects);
        MultipartHandler multipart = new MultipartHandler(objects, encryption);
        ObjectAttributesHandler attributes = new ObjectAttributesHandler(objects, encryption);
        AclHandler acls = new AclHandler(objects);
        this.cors = new CorsHandler(objects);
        TaggingHandler tagging = new TaggingHandler(objects);
        BucketPolicyHandler policies = new BucketPolicyHandler(objects);
        OwnershipControlsHandler ownership = new OwnershipControlsHandler(objects);
        NotificationHandler notifications = new NotificationHandler(objects);
        LifecycleHandler lifecycle = new LifecycleHandler(objects);
        PostObjectHandler forms = new PostObjectHandler(objects, authenticator, authorization, encryption, Clock.systemUTC());
        SyncHandler sync = new SyncHandler(objects, config.clusterKey() == null ? null
                : io.mooseng.core.metadata.KeySecrets.of(objects.identities(), config.clusterKey()));
        AdminHandler admin = new AdminHandler(objects, status);
        VersioningHandler versioning = new VersioningHandler(objects);
        ObjectLockHandler locks = new ObjectLockHandler(objects, authorization);
        BiPredicate<QueryString, MultiMap> always = (q, h) -> true;
        BiPredicate<QueryString, MultiMap> copy = (q, h) -> h.contains("x-amz-copy-source");
        BiPredicate<QueryString, MultiMap> form = (q, h) -> PostObjectHandler.accepts(h);
        routes = List.of(
                new Route(GET, Target.SERVICE, Set.of(), always, "ListBuckets", of("s3:ListAllMyBuckets"), service::listBuckets),
                new Route(GET, Target.SERVICE, Set.of("mooseng-sync"), always, "GetSyncState", ROOT_ONLY, sync::get),
                new Route(PUT, Target.SERVICE, Set.of("mooseng-sync"), always, "PutZonegroup", ROOT_ONLY, sync::put),
                new Route(GET, Target.SERVICE, Set.of(AdminHandler.SUBRESOURCE), always, "GetClusterStatus", ROOT_ONLY, admin::getService),
                new Route(GET, Target.BUCKET, Set.of(AdminHandler.SUBRESOURCE), always, "GetBucketAdmin", ROOT_ONLY, admin::getBucket),
                new Route(POST, Target.BUCKET, Set.of(AdminHandler.SUBRESOURCE), always, "RestoreFromTrash", ROOT_ONLY, admin::postBucket),
                new Route(PUT, Target.BUCKET, Set.of(AdminHandler.SUBRESOURCE), always, "PutBucketClass", ROOT_ONLY, admin::putBucket),
                new Route(PUT, Target.BUCKET, Set.of(), always, "CreateBucket", of("s3:CreateBucket"), buckets::create),
                new Route(DELETE, Target.BUCKET, Set.of(), always, "DeleteBucket", of("s3:DeleteBucket"), buckets::delete),
                new Route(HEAD, Target.BUCKET, Set.of(), always, "HeadBucket", of("s3:ListBucket"), buckets::head),
                new Route(GET, Target.BUCKET, Set.of("location"), always, "GetBucketLocation", of("s3:GetBucketLocation"), buckets::location),
                new Route(GET, Target.BUCKET, Set.of(), (q, h) -> "2".equals(q.get("list-type")), "ListObjectsV2", of("s3:ListBucket"), listing::listV2),
                new Route(GET, Target.BUCKET, Set.of(), always, "ListObjects", of("s3:ListBucket"), listing::listV1),
                // a browser form upload: the key is in the form, so the handler checks s3:PutObject once it read it
                new Route(POST, Target.BUCKET, Set.of(), form, "PostObject", eachKey("s3:PutObject"), forms::post),
                new Route(GET, Target.BUCKET, Set.of("versions"), always, "ListObjectVersions", of("s3:ListBucketVersions"),
                        versioning::listVersions),
                new Route(GET, Target.BUCKET, Set.of("versioning"), always, "GetBucketVersioning", of("s3:GetBucketVersioning"),
                        versioning::getBucketVersioning),
                new Route(PUT, Target.BUCKET, Set.of("versioning"), always, "PutBucketVersioning", of("s3:PutBucketVersioning"),
                        versioning::putBucketVersioning),
                new Route(GET, Target.BUCKET, Set.of("object-lock"), always, "GetObjectLockConfiguration",
                        of("s3:GetBucketObjectLockConfiguration"), locks::getConfiguration),
                new Route(PUT, Target.BUCKET, Set.of("object-lock"), always, "PutObjectLockConfiguration",
                        of("s3:PutBucketObjectLockConfiguration"), locks::putConfiguration),
                new Route(GET, Target.OBJECT, Set.of("retention"), always, "GetObjectRetention", of("s3:GetObjectRetention"),
                        locks::getRetention),
                new Route(GET, Target.OBJECT, Set.of("retention", "versionId"), always, "GetObjectRetention", of("s3:GetObjectRetention"),
                        locks::getRetention),
                new Route(PUT, Target.OBJECT, Set.of("retention"), always, "PutObjectRetention", of("s3:PutObjectRetention"),
                        locks::putRetention),
                new Route(PUT, Target.OBJECT, Set.of("retention", "versionId"), always, "PutObjectRetention", of("s3:PutObjectRetention"),
                        locks::putRetention),
                new Route(GET, Target.OBJECT, Set.of("legal-hold"), always, "GetObjectLegalHold", of("s3:GetObjectLegalHold"),
                        locks::getLegalHold),
                new Route(GET, Target.OBJECT, Set.of("legal-hold", "versionId"), always, "GetObjectLegalHold", of("s3:GetObjectLegalHold"),
                        locks::getLegalHold),
                new Route(PUT, Target.OBJECT, Set.of("legal-hold"), always, "PutObjectLegalHold", of("s3:PutObjectLegalHold"),
                        locks::putLegalHold),
                new Route(PUT, Target.OBJECT, Set.of("legal-hold", "versionId"), always, "PutObjectLegalHold", of("s3:PutObjectLegalHold"),
                        locks::putLegalHold),
                new Route(POST, Target.BUCKET, Set.of("delete"), always, "DeleteObjects", eachKey("s3:DeleteObject"), deletes::deleteObjects),
                new Route(GET, Target.BUCKET, Set.of("uploads"), always, "ListMultipartUploads", of("s3:ListBucketMultipartUploads"), uploads::listUploads),
                new Route(GET, Target.BUCKET, Set.of("acl"), always, "GetBucketAcl", of("s3:GetBucketAcl"), acls::getBucketAcl),
                new Route(PUT, Target.BUCKET, Set.of("acl"), always, "PutBucketAcl", of("s3:PutBucketAcl"), acls::putBucketAcl),
                new Route(GET, Target.OBJECT, Set.of("acl"), always, "GetObjectAcl", of("s3:GetObjectAcl"), acls::getObjectAcl),
                new Route(PUT, Target.OBJECT, Set.of("acl"), always, "PutObjectAcl", of("s3:PutObjectAcl"), acls::putObjectAcl),
                new Route(GET, Target.OBJECT, Set.of("acl", "versionId"), always, "GetObjectAcl", of("s3:GetObjectVersionAcl"),
                        acls::getObjectAcl),
                new Route(PUT, Target.OBJECT, Set.of("acl", "versionId"), always, "PutObjectAcl", of("s3:PutObjectVersionAcl"),
                        acls::putObjectAcl),
                new Route(GET, Target.BUCKET, Set.of("cors"), always, "GetBucketCors", of("s3:GetBucketCORS"), cors::getBucketCors),
                new Route(PUT, Target.BUCKET, Set.of("cors"), always, "PutBucketCors", of("s3:PutBucketCORS"), cors::putBucketCors),
                new Route(DELETE, Target.BUCKET, Set.of("cors"), always, "DeleteBucketCors", of("s3:PutBucketCORS"), cors::deleteBucketCors),
                new Route(GET, Target.BUCKET, Set.of("policy"), always, "GetBucketPolicy", of("s3:GetBucketPolicy"), policies::getBucketPolicy),
                new Route(PUT, Target.BUCKET, Set.of("policy"), always, "PutBucketPolicy", of("s3:PutBucketPolicy"), policies::putBucketPolicy),
                new Route(DELETE, Target.BUCKET, Set.of("policy"), always, "DeleteBucketPolicy", of("s3:DeleteBucketPolicy"),
                        policies::deleteBucketPolicy),
                new Route(GET, Target.BUCKET, Set.of("policyStatus"), always, "GetBucketPolicyStatus", of("s3:GetBucketPolicyStatus"),
                        policies::getBucketPolicyStatus),
                new Route(GET, Target.BUCKET, Set.of("encryption"), always, "GetBucketEncryption", of("s3:GetEncryptionConfiguration"),
                        bucketEncryption::getBucketEncryption),
                new Route(PUT, Target.BUCKET, Set.of("encryption"), always, "PutBucketEncryption", of("s3:PutEncryptionConfiguration"),
                        bucketEncryption::putBucketEncryption),
                new Route(DELETE, Target.BUCKET, Set.of("encryption"), always, "DeleteBucketEncryption", of("s3:PutEncryptionConfiguration"),
                        bucketEncryption::deleteBucketEncryption),
                new Route(GET, Target.BUCKET, Set.of("ownershipControls"), always, "GetBucketOwnershipControls",
                        of("s3:GetBucketOwnershipControls"), ownership::getOwnershipControls),
                new Route(PUT, Target.BUCKET, Set.of("ownershipControls"), always, "PutBucketOwnershipControls",
                        of("s3:PutBucketOwnershipControls"), ownership::putOwnershipControls),
                new Route(DELETE, Target.BUCKET, Set.of("ownershipControls"), always, "DeleteBucketOwnershipControls",
                        of("s3:PutBucketOwnershipControls"), ownership::deleteOwnershipControls),
                new Route(GET, Target.BUCKET, Set.of("notification"), always, "GetBucketNotificationConfiguration",
                        of("s3:GetBucketNotification"), notifications::get),
                new Route(PUT, Target.BUCKET, Set.of("notification"), always, "PutBucketNotificationConfiguration",
                        of("s3:PutBucketNotification"), notifications::put),
                // IAM calls all three actions LifecycleConfiguration, deleting included
                new Route(GET, Target.BUCKET, Set.of("lifecycle"), always, "GetBucketLifecycleConfiguration",
                        of("s3:GetLifecycleConfiguration"), lifecycle::get),
                new Route(PUT, Target.BUCKET, Set.of("lifecycle"), always, "PutBucketLifecycleConfiguration",
                        of("s3:PutLifecycleConfiguration"), lifecycle::put),
                new Route(DELETE, Target.BUCKET, Set.of("lifecycle"), always, "DeleteBucketLifecycle",
                        of("s3:PutLifecycleConfiguration"), lifecycle::delete),
                new Route(GET, Target.BUCKET, Set.of("tagging"), always, "GetBucketTagging", of("s3:GetBucketTagging"), tagging::getBucketTagging),
                new Route(PUT, Target.BUCKET, Set.of("tagging"), always, "PutBucketTagging", of("s3:PutBucketTagging"), tagging::putBucketTagging),
                new Route(DELETE, Target.BUCKET, Set.of("tagging"), always, "DeleteBucketTagging", of("s3:PutBucketTagging"), tagging::deleteBucketTagging),
                new Route(GET, Target.OBJECT, Set.of("tagging"), always, "GetObjectTagging", of("s3:GetObjectTagging"), tagging::getObjectTagging),
                new Route(PUT, Target.OBJECT, Set.of("tagging"), always, "PutObjectTagging", of("s3:PutObjectTagging"), tagging::putObjectTagging),
                new Route(DELETE, Target.OBJECT, Set.of("tagging"), always, "DeleteObjectTagging", of("s3:DeleteObjectTagging"), tagging::deleteObjectTagging),
                new Route(GET, Target.OBJECT, Set.of("tagging", "versionId"), always, "GetObjectTagging", of("s3:GetObjectVersionTagging"),
                        tagging::getObjectTagging),
                new Route(PUT, Target.OBJECT, Set.of("tagging", "versionId"), always, "PutObjectTagging", of("s3:PutObjectVersionTagging"),
                        tagging::putObjectTagging),
                new Route(DELETE, Target.OBJECT, Set.of("tagging", "versionId"), always, "DeleteObjectTagging",
                        of("s3:DeleteObjectVersionTagging"), tagging::deleteObjectTagging),
                new Route(PUT, Target.OBJECT, Set.of(), copy, "CopyObject", of("s3:PutObject"), copies::copy),
                new Route(PUT, Target.OBJECT, Set.of(), always, "PutObject", of("s3:PutObject"), object::put),
                new Route(GET, Target.OBJECT, Set.of(), always, "GetObject", of("s3:GetObject"), object::get),
                new Route(HEAD, Target.OBJECT, Set.of(), always, "HeadObject", of("s3:GetObject"), object::head),
                new Route(GET, Target.OBJECT, Set.of("partNumber"), always, "GetObject", of("s3:GetObject"), object::get),
                new Route(HEAD, Target.OBJECT, Set.of("partNumber"), always, "HeadObject", of("s3:GetObject"), object::head),
                new Route(GET, Target.OBJECT, Set.of("attributes"), always, "GetObjectAttributes", of("s3:GetObjectAttributes"), attributes::get),
                new Route(GET, Target.OBJECT, Set.of("attributes", "versionId"), always, "GetObjectAttributes",
                        of("s3:GetObjectVersionAttributes"), attributes::get),
                new Route(DELETE, Target.OBJECT, Set.of(), always, "DeleteObject", of("s3:DeleteObject"), object::delete),
                new Route(GET, Target.OBJECT, Set.of("versionId"), always, "GetObject", of("s3:GetObjectVersion"), object::get),
                new Route(HEAD, Target.OBJECT, Set.of("versionId"), always, "HeadObject", of("s3:GetObjectVersion"), object::head),
                new Route(GET, Target.OBJECT, Set.of("partNumber", "versionId"), always, "GetObject", of("s3:GetObjectVersion"), object::get),
                new Route(HEAD, Target.OBJECT, Set.of("partNumber", "versionId"), always, "HeadObject", of("s3:GetObjectVersion"),
                        object::head),
                new Route(DELETE, Target.OBJECT, Set.of("versionId"), always, "DeleteObject", of("s3:DeleteObjectVersion"), object::delete),
                new Route(POST, Target.OBJECT, Set.of("uploads"), always, "CreateMultipartUpload", of("s3:PutObject"), multipart::create),
                new Route(PUT, Target.OBJECT, Set.of("partNumber", "uploadId"), copy, "UploadPartCopy", of("s3:PutObject"), copies::copyPart),
                new Route(PUT, Target.OBJECT, Set.of("partNumber", "uploadId"), always, "UploadPart", of("s3:PutObject"), multipart::uploadPart),
                new Route(POST, Target.OBJECT, Set.of("uploadId"), always, "CompleteMultipartUpload", of("s3:PutObject"), multipart::complete),
                new Route(DELETE, Target.OBJECT, Set.of("uploadId"), always, "AbortMultipartUpload", of("s3:AbortMultipartUpload"), multipart::abort),
                new Route(GET, Target.OBJECT, Set.of("uploadId"), always, "ListParts", of("s3:ListMultipartUploadParts"), multipart::listParts));
    }

    /** Contract: called on the connection's event loop; never blocks. */
    @Override
    public void handle(HttpServerRequest http) {
        http.pause(); // nothing may read the body before a handler is ready for it
        long start = System.nanoTime();
        String requestId = S3Request.newRequestId();
        S3Request.commonHeaders(http.response(), requestId);
        S3Request req;
        Address address;
        try {
            checkHeaderCount(http.headers());
            QueryString query = QueryString.parse(http.query());
            address = address(http.headers().get("host"), http.path());
            if (!address.byHost() && ConsoleHandler.addresses(http.path())) {
                console.handle(http); // path style only: on a bucket's own host name the path is a key
                return;
            }
            if (!address.byHost() && ConsoleHandler.typedByBrowser(http)) {
                ConsoleHandler.redirect(http);
                return;
            }
            req = new S3Request(http, Vertx.currentContext(), requestId, address.bucket(), address.key(), query);
        } catch (S3Exception e) {
            req = new S3Request(http, Vertx.currentContext(), requestId, null, null, QueryString.parse(null));
            respond(req, Future.failedFuture(e), start);
            return;
        }
        S3Request request = req;
        Future<Void> outcome;
        if (http.method() == OPTIONS) {
            // a browser's preflight carries no signature
            request.operation("PreflightRequest");
            outcome = guarded(() -> cors.preflight(request));
        } else {
            outcome = cors.prepare(request).compose(v -> guarded(() -> dispatch(request, address)));
        }
        respond(request, outcome, start);
    }

    /** @throws S3Exception RequestHeaderSectionTooLarge past {@link S3Gateway#MAX_HEADER_COUNT} header lines (a repeated name counts each time) */
    private static void checkHeaderCount(MultiMap headers) {
        int lines = 0;
        for (var ignored : headers) {
            if (++lines > S3Gateway.MAX_HEADER_COUNT) {
                throw S3Error.REQUEST_HEADER_SECTION_TOO_LARGE.exception("Your request has more than " + S3Gateway.MAX_HEADER_COUNT
                        + " header lines.");
            }
        }
    }

    private Future<Void> dispatch(S3Request req, Address address) {
        CompletableFuture<Void> keyLoaded = authenticator.loadKey(req.query(), req.http().headers());
        return keyLoaded.isDone() && !keyLoaded.isCompletedExceptionally() ? route(req, address)
                : Future.fromCompletionStage(keyLoaded, req.context()).compose(v -> guarded(() -> route(req, address)));
    }

    private Future<Void> route(S3Request req, Address address) {
        HttpServerRequest http = req.http();
        if (StsHandler.accepts(req)) {
            return sts.handle(req, bodySha256 -> authenticator.authenticateSts(http.method().name(), http.path(), req.query(), http.headers(),
                    bodySha256));
        }
        String resourcePath = address.byHost() ? "/" + address.bucket() + http.path() : http.path();
        req.authenticated(authenticator.authenticate(http.method().name(), http.path(), resourcePath, req.query(), http.headers()));
        Route route = match(http.method(), target(req), req.query(), http.headers());
        req.operation(route.operation());
        return authorize(req, route.permission()).compose(v -> route.handler().handle(req));
    }

    private Future<Void> authorize(S3Request req, Permission permission) {
        return switch (permission.scope()) {
            case ADDRESSED -> authorization.check(req, permission.action(), req.bucket(), req.key());
            case EACH_KEY -> Future.succeededFuture();
            case ROOT_ONLY -> req.auth().identity() != null && req.auth().identity().unrestrictedRoot() ? Future.succeededFuture()
                    : Future.failedFuture(S3Error.ACCESS_DENIED.exception("Only the administrator may use " + req.operation() + "."));
        };
    }

    /** A step's outcome, a throw included. */
    private static Future<Void> guarded(Supplier<Future<Void>> step) {
        try {
            return step.get();
        } catch (RuntimeException | LinkageError e) {
            return Future.failedFuture(e);
        }
    }

    private void respond(S3Request req, Future<Void> outcome, long start) {
        outcome.recover(e -> {
            S3Exception error = S3Exception.from(e);
            if (req.response().closed()) {
                LOG.debug("{} {} abandoned by the client ({})", req.operation(), req.resource(), req.requestId());
            } else if (error.error().status() >= 500 && error.error() != S3Error.NOT_IMPLEMENTED) {
                LOG.warn("{} {} failed ({})", req.operation(), req.resource(), req.requestId(), error.getCause() != null ? error.getCause() : e);
            }
            if (error.error().status() >= 400) {
                metrics.error(error.error().code());
            }
            return req.sendError(error);
        }).onComplete(ar -> finish(req, start));
    }

    /** Leaves the connection ready for the next request: an unread body is dropped as it arrives and the connection then closed. */
    private void finish(S3Request req, long start) {
        String operation = req.operation();
        HttpServerRequest http = req.http();
        if (req.bodyUnread()) {
            req.closeWhenDrained();
        } else if (!http.isEnded()) {
            http.resume();
        }
        int status = http.response().ended() ? http.response().getStatusCode() : 0;
        long nanos = System.nanoTime() - start;
        metrics.request(operation, status, nanos, req.bytesIn(), req.bytesOut());
        if (audit != null) {
            audit.record(req, status);
        }
        LOG.debug("{} {} {} {} {}ms", req.requestId(), operation, req.resource(), status, nanos / 1_000_000);
    }

    /**
     * The route for a request.
     *
     * @throws S3Exception NotImplemented for sub-resources no route takes, PreconditionFailed for a bucket POST that is no
     *                     form, else MethodNotAllowed
     */
    Route match(HttpMethod method, Target target, QueryString query, MultiMap headers) {
        Set<String> present = new TreeSet<>();
        for (var p : query.entries()) {
            // unversioned buckets answer versionId=null like no version at all
            if (SUBRESOURCES.contains(p.getKey()) && !(p.getKey().equals("versionId") && p.getValue().equals("null"))) {
                present.add(p.getKey());
            }
        }
        for (Route r : routes) {
            if (r.method().equals(method) && r.target() == target && r.subresources().equals(present) && r.when().test(query, headers)) {
                return r;
            }
        }
        if (!present.isEmpty()) {
            throw S3Error.NOT_IMPLEMENTED.exception("The " + String.join(", ", present) + " sub-resource is not implemented for "
                    + method.name() + " on a " + target.name().toLowerCase(Locale.ROOT) + ".");
        }
        if (method == POST && target == Target.BUCKET) {
            throw S3Error.PRECONDITION_FAILED.exception("Bucket POST must be of the enclosure-type multipart/form-data");
        }
        throw S3Error.METHOD_NOT_ALLOWED.exception();
    }

    private static Target target(S3Request req) {
        return req.bucket() == null ? Target.SERVICE : req.key() == null ? Target.BUCKET : Target.OBJECT;
    }

    /**
     * Where a request is addressed.
     *
     * @param bucket null for the service
     * @param key    decoded; null for a bucket or the service
     * @param byHost the Host header named the bucket (virtual-host style)
     */
    record Address(String bucket, String key, boolean byHost) {
    }

    /**
     * The bucket and key of a request: virtual-host style when Host is {@code <bucket>.<domain>},
     * else path style ({@code /bucket/key}).
     *
     * @throws S3Exception InvalidURI for a malformed path
     */
    Address address(String host, String rawPath) {
        String path = UriEncoding.decodePath(rawPath == null ? "/" : rawPath);
        if (!path.startsWith("/")) {
            throw S3Error.INVALID_URI.exception();
        }
        String hostname = host == null ? "" : host.toLowerCase(Locale.ROOT);
        int colon = hostname.lastIndexOf(':');
        if (colon > hostname.lastIndexOf(']')) {
            hostname = hostname.substring(0, colon);
        }
        if (virtualHostSuffix != null && hostname.endsWith(virtualHostSuffix) && hostname.length() > virtualHostSuffix.length()) {
            String bucket = hostname.substring(0, hostname.length() - virtualHostSuffix.length());
            return new Address(bucket, path.length() > 1 ? path.substring(1) : null, true);
        }
        int slash = path.indexOf('/', 1);
        String bucket = slash < 0 ? path.substring(1) : path.substring(1, slash);
        String key = slash < 0 || slash == path.length() - 1 ? null : path.substring(slash + 1);
        if (bucket.isEmpty() && key != null) {
            throw S3Error.INVALID_URI.exception();
        }
        return new Address(bucket.isEmpty() ? null : bucket, key, false);
    }
}
