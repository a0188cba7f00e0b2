package io.mooseng.chunkserver.rpc;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RpcErrorsTest {

    @Test
    void everyCodeSurvivesTheRoundTrip() {
        for (ErrorCode code : ErrorCode.values()) {
            StatusException sent = RpcErrors.toStatus(new MooseException(code, "details: with a colon"));
            MooseException received = RpcErrors.fromStatus("cs-1", sent.status(), sent.message());
            assertEquals(code, received.code());
            assertEquals("details: with a colon", received.getMessage());
        }
    }

    @Test
    void unknownFailuresAreInternal() {
        StatusException sent = RpcErrors.toStatus(new IOException("disk on fire"));
        assertEquals(GrpcStatus.INTERNAL, sent.status());
        assertEquals(ErrorCode.INTERNAL, RpcErrors.fromStatus("cs-1", sent.status(), sent.message()).code());
        MooseException foreign = RpcErrors.fromStatus("cs-1", GrpcStatus.NOT_FOUND, "no such method");
        assertEquals(ErrorCode.INTERNAL, foreign.code());
    }
}
