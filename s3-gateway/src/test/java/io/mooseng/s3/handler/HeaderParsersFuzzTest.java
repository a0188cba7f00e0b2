package io.mooseng.s3.handler;

import io.mooseng.core.fuzz.Fuzz;
import io.mooseng.core.fuzz.Mutations;
import io.mooseng.s3.auth.HeaderText;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static io.mooseng.s3.error.ParserOutcomes.resultOrClientError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parsers of request headers and query parameters, over text near valid values.
 * Properties: each returns or answers an S3 client error; a range is inside the object;
 * where there is an encoder, decoding what it made is the identity.
 */
class HeaderParsersFuzzTest {
    private static final List<String> DICTIONARY = List.of("bytes=", "-", ",", " ", "0", "9223372036854775807", "99999999999999999999",
            "=?UTF-8?B?", "=?UTF-8?Q?", "?=", "=", "=ZZ", "&", "%", "%zz", "%C3%A9", "%ED%A0%80", "*", "\"", "W/", "GMT", "Thu, ",
            "?versionId=", "/", "\u00e9", "\uD83D\uDE00", "\u0000");
    private static final String TEXT = "abcAZ09 -_.:/=+@,;\"*&%?\t\u00e9\u00ff\u20ac\uD83D\uDE00";

    @Test
    void rangesAreInsideTheObjectOrRefused() {
        Fuzz.check("range", 5000, r -> {
            long size = r.nextBoolean() ? r.nextLong(100) : r.nextLong(Long.MAX_VALUE);
            String header = Mutations.mutate(r, "bytes=" + r.nextLong(200) + "-" + r.nextLong(200), DICTIONARY);
            try {
                ByteRange range = ByteRange.parse(header, size);
                assertTrue(range == null || (0 <= range.first() && range.first() <= range.last() && range.last() < size),
                        () -> header + " of " + size + " gave " + range);
            } catch (S3Exception e) {
                assertEquals(S3Error.INVALID_RANGE, e.error(), e::toString);
            }
        });
    }

    @Test
    void headerAndParameterParsersAnswerAResultOrAClientError() {
        Fuzz.check("header parsers", 5000, r -> {
            String text = near(r);
            resultOrClientError(() -> Conditions.evaluate(text, near(r), near(r), near(r), "etag", r.nextLong()));
            resultOrClientError(() -> HttpDates.parseSeconds(text));
            resultOrClientError(() -> IntParams.between(text, 1, 10_000, "refused"));
            resultOrClientError(() -> ListObjectsHandler.maxKeys(text, 1000));
            resultOrClientError(() -> ListObjectsHandler.decodeToken(text));
            resultOrClientError(() -> TagSets.fromHeader(text, TagSets.MAX_OBJECT_TAGS));
            resultOrClientError(() -> CopyObjectHandler.Source.parse(text));
            resultOrClientError(() -> CopyObjectHandler.copyRange(text, 1000));
            resultOrClientError(() -> BucketNames.validate(text));
            resultOrClientError(() -> ObjectHeaders.contentMd5(text));
            resultOrClientError(() -> ObjectHeaders.storageClass(text));
            resultOrClientError(() -> HeaderText.fromEncodedWord(HeaderText.fromWire(text)));
            resultOrClientError(() -> CorsRules.requestedHeaders(text));
        });
    }

    @Test
    void encodedValuesDecodeToThemselves() {
        Fuzz.check("header round trips", 3000, r -> {
            String text = Mutations.randomText(r, TEXT, 40)
                    .replaceAll("[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]", "");
            assertEquals(text, HeaderText.fromEncodedWord(HeaderText.toEncodedWord(text)));
            assertEquals(text, HeaderText.fromWire(HeaderText.toWire(text)));
            assertEquals(text, ListObjectsHandler.decodeToken(ListObjectsHandler.encodeToken(text)));
            long millis = r.nextLong(253_402_300_799_000L); // up to year 9999
            assertEquals(millis / 1000, HttpDates.parseSeconds(HttpDates.format(millis)));
        });
    }

    /** A valid-looking value of one of the parsers' kinds, changed at random. */
    private static String near(SplittableRandom r) {
        String[] seeds = {"bytes=0-99", "\"etag\"", "*", "Thu, 01 Jan 1970 00:00:00 GMT", "1000", "k1=v1&k2=v2", "bucket/key?versionId=null",
                "my-bucket", "1B2M2Y8AsgTpgAmY7PhDvQ==", "EC_4_2", "=?UTF-8?B?w6k=?=", "Content-Type, X-Amz-Date", "dG9rZW4"};
        return r.nextInt(8) == 0 ? Mutations.randomText(r, TEXT, 30) : Mutations.mutate(r, seeds[r.nextInt(seeds.length)], DICTIONARY);
    }
}
