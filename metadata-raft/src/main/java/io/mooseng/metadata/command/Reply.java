package io.mooseng.metadata.command;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import io.mooseng.metadata.codec.BinaryReader;
import io.mooseng.metadata.codec.BinaryWriter;
import io.mooseng.metadata.codec.Codec;

import java.util.ArrayList;
import java.util.List;

/**
 * Reply messages of the state machine: a status byte, then the result (status OK) or an
 * {@link ErrorCode} name and message (status ERROR). Failures of a command travel as
 * replies, never as exceptions through Ratis, so they stay typed end to end.
 */
public final class Reply {
    private static final int OK = 0;
    private static final int ERROR = 1;

    private Reply() {
    }

    public static <T> byte[] ok(Codec<T> codec, T value) {
        BinaryWriter w = new BinaryWriter().u8(OK);
        codec.write(w, value);
        return w.toByteArray();
    }

    public static byte[] error(MooseException e) {
        return new BinaryWriter().u8(ERROR).string(e.code().name()).string(String.valueOf(e.getMessage())).toByteArray();
    }

    /** The reply to a {@link MetadataCommand.Batch}: one reply per command, in order. */
    public static byte[] batch(List<byte[]> replies) {
        BinaryWriter w = new BinaryWriter(replies.stream().mapToInt(r -> r.length + 5).sum() + 8).u8(OK).varLong(replies.size());
        replies.forEach(w::bytes);
        return w.toByteArray();
    }

    /**
     * Splits a batch reply into the replies of its commands.
     *
     * @throws MooseException if the whole entry failed (its error applies to every command)
     */
    public static List<byte[]> splitBatch(byte[] reply) {
        BinaryReader r = new BinaryReader(reply);
        throwIfError(r);
        int n = r.varInt();
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(r.bytes());
        }
        r.expectEnd();
        return out;
    }

    /** @throws MooseException the command's failure, with the code the state machine chose */
    public static <T> T decode(byte[] reply, Codec<T> codec) {
        BinaryReader r = new BinaryReader(reply);
        throwIfError(r);
        T value = codec.read(r);
        r.expectEnd();
        return value;
    }

    private static void throwIfError(BinaryReader r) {
        int status = r.u8();
        if (status == OK) {
            return;
        }
        if (status != ERROR) {
            throw new IllegalArgumentException("unknown reply status " + status);
        }
        String name = r.string();
        String message = r.string();
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(name);
        } catch (IllegalArgumentException e) {
            // a newer server may know codes this client does not
            code = ErrorCode.INTERNAL;
            message = name + ": " + message;
        }
        throw new MooseException(code, message);
    }
}
