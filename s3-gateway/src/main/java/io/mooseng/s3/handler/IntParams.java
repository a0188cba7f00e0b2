package io.mooseng.s3.handler;

import io.mooseng.s3.error.S3Error;

/** Whole-number query parameters (part numbers, page sizes). */
final class IntParams {
    private IntParams() {
    }

    /** @throws io.mooseng.s3.error.S3Exception InvalidArgument with {@code refusal} unless a number in [min, max] */
    static int between(String value, int min, int max, String refusal) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw S3Error.INVALID_ARGUMENT.exception(refusal);
    }
}
