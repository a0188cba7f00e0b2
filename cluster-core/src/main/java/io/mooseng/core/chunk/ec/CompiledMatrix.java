package io.mooseng.core.chunk.ec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A GF(2^8) matrix prepared by one {@link CodingKernel}: computes {@code outputs[r] =
 * sum_j M[r][j] * inputs[j]}, byte by byte, over a range of the shards. Encoding uses the
 * parity rows; decoding uses rows that rebuild lost shards from k survivors.
 *
 * <p>Contract: immutable and thread-safe; callers pass exactly as many inputs and outputs
 * as the matrix has columns and rows, every shard long enough for the range, and outputs
 * that overlap neither the inputs nor each other.
 */
interface CompiledMatrix {
    /** Bytes per shard copied at a time where the caller's memory is not the kernel's. */
    int STAGING_CHUNK = 64 << 10;

    /** Writes [offset, offset + length) of every output from the same range of the inputs. */
    void apply(byte[][] inputs, byte[][] outputs, int offset, int length);

    /**
     * The same over segments of one size, each holding exactly the range. The Java kernels
     * compute on heap arrays, so by default the segments are copied through heap buffers a
     * chunk at a time.
     */
    default void apply(MemorySegment[] inputs, MemorySegment[] outputs) {
        long length = inputs[0].byteSize();
        int chunk = (int) Math.min(STAGING_CHUNK, length);
        byte[][] in = new byte[inputs.length][chunk];
        byte[][] out = new byte[outputs.length][chunk];
        for (long done = 0; done < length; done += chunk) {
            int n = (int) Math.min(chunk, length - done);
            for (int j = 0; j < inputs.length; j++) {
                MemorySegment.copy(inputs[j], ValueLayout.JAVA_BYTE, done, in[j], 0, n);
            }
            apply(in, out, 0, n);
            for (int r = 0; r < outputs.length; r++) {
                MemorySegment.copy(out[r], 0, outputs[r], ValueLayout.JAVA_BYTE, done, n);
            }
        }
    }
}
