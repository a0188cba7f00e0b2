package io.mooseng.s3;

/**
 * What a route's caller must be allowed (a column of {@link S3Router}'s route table).
 *
 * @param action the IAM action, as AWS's table of S3 actions names it; null for {@link Scope#ROOT_ONLY}
 */
record Permission(String action, Scope scope) {
    enum Scope {
        /** The action on the addressed bucket or object, checked before the handler runs. */
        ADDRESSED,
        /** The action on each key the request names, checked by the handler (DeleteObjects). */
        EACH_KEY,
        /** No policy can grant it: MooseNG's own internal routes, for the administrator only. */
        ROOT_ONLY
    }

    static final Permission ROOT_ONLY = new Permission(null, Scope.ROOT_ONLY);

    static Permission of(String action) {
        return new Permission(action, Scope.ADDRESSED);
    }

    static Permission eachKey(String action) {
        return new Permission(action, Scope.EACH_KEY);
    }
}
