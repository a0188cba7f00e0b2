package io.mooseng.s3.handler;

import io.mooseng.core.model.WriteCondition;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WriteConditionsTest {
    private static MultiMap headers(String... nameValues) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < nameValues.length; i += 2) {
            h.add(nameValues[i], nameValues[i + 1]);
        }
        return h;
    }

    @Test
    void ifMatchTakesAQuotedETagAndIfNoneMatchOnlyAStar() {
        assertNull(WriteConditions.of(headers()));
        assertEquals(WriteCondition.IF_ABSENT, WriteConditions.of(headers("If-None-Match", "*")));
        assertEquals(WriteCondition.ifMatch("abc"), WriteConditions.of(headers("If-Match", "\"abc\"")));
        assertEquals(new WriteCondition("abc", true), WriteConditions.of(headers("If-Match", "abc", "If-None-Match", "*")));
        S3Exception e = assertThrows(S3Exception.class, () -> WriteConditions.of(headers("If-None-Match", "\"abc\"")));
        assertEquals(S3Error.NOT_IMPLEMENTED, e.error());
    }
}
