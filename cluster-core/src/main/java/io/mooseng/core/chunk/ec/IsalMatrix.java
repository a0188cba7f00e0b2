package io.mooseng.core.chunk.ec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The {@link CodingKernel#ISAL} kernel: our matrix expanded by ISA-L's ec_init_tables and
 * applied by its ec_encode_data, so the bytes are those of the Java kernels.
 *
 * <p>ISA-L takes arrays of pointers, which cannot point into the Java heap: native segments
 * are passed as they are, in one call; heap shards (byte arrays, heap segments) are copied
 * through the calling thread's {@link NativeScratch} {@value CompiledMatrix#STAGING_CHUNK}
 * bytes per shard at a time.
 */
final class IsalMatrix implements CompiledMatrix {
    /** Longest range of one call when nothing is staged: ISA-L's length is an int. */
    private static final int DIRECT_CHUNK = 1 << 30;

    private final IsalLibrary isal;
    private final int inputCount;
    private final int outputCount;
    /** ISA-L's expanded tables, freed with this object (an automatic arena): cached matrices own theirs. */
    private final MemorySegment tables;

    IsalMatrix(IsalLibrary isal, GfMatrix matrix) {
        this.isal = isal;
        this.inputCount = matrix.cols();
        this.outputCount = matrix.rows();
        Arena arena = Arena.ofAuto();
        MemorySegment coefficients = arena.allocate((long) inputCount * outputCount);
        for (int r = 0; r < outputCount; r++) {
            for (int j = 0; j < inputCount; j++) {
                coefficients.set(ValueLayout.JAVA_BYTE, (long) r * inputCount + j, (byte) matrix.get(r, j));
            }
        }
        this.tables = arena.allocate(32L * inputCount * outputCount, 64);
        isal.initTables(inputCount, outputCount, coefficients, tables);
    }

    @Override
    public void apply(byte[][] inputs, byte[][] outputs, int offset, int length) {
        apply(slices(inputs, offset, length), slices(outputs, offset, length));
    }

    @Override
    public void apply(MemorySegment[] inputs, MemorySegment[] outputs) {
        long length = inputs[0].byteSize();
        boolean staged = !allNative(inputs) || !allNative(outputs);
        int chunk = staged ? STAGING_CHUNK : DIRECT_CHUNK;
        NativeScratch scratch = NativeScratch.forThisThread(staged ? inputCount + outputCount : 0);
        MemorySegment inputPointers = scratch.pointers(0, inputCount);
        MemorySegment outputPointers = scratch.pointers(inputCount, outputCount);
        for (long done = 0; done < length; done += chunk) {
            int n = (int) Math.min(chunk, length - done);
            for (int j = 0; j < inputCount; j++) {
                MemorySegment in = inputs[j].asSlice(done, n);
                if (!in.isNative()) {
                    in = scratch.buffer(j, n).copyFrom(in);
                }
                inputPointers.setAtIndex(ValueLayout.ADDRESS, j, in);
            }
            for (int r = 0; r < outputCount; r++) {
                MemorySegment out = outputs[r].isNative() ? outputs[r].asSlice(done, n) : scratch.buffer(inputCount + r, n);
                outputPointers.setAtIndex(ValueLayout.ADDRESS, r, out);
            }
            isal.encodeData(n, inputCount, outputCount, tables, inputPointers, outputPointers);
            for (int r = 0; r < outputCount; r++) {
                if (!outputs[r].isNative()) {
                    MemorySegment.copy(scratch.buffer(inputCount + r, n), 0, outputs[r], done, n);
                }
            }
        }
    }

    private static MemorySegment[] slices(byte[][] shards, int offset, int length) {
        MemorySegment[] slices = new MemorySegment[shards.length];
        for (int i = 0; i < shards.length; i++) {
            slices[i] = MemorySegment.ofArray(shards[i]).asSlice(offset, length);
        }
        return slices;
    }

    private static boolean allNative(MemorySegment[] segments) {
        for (MemorySegment s : segments) {
            if (!s.isNative()) {
                return false;
            }
        }
        return true;
    }
}
