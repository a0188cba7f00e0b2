package io.mooseng.core.chunk.ec;

import java.lang.foreign.MemorySegment;

/**
 * One matrix on two kernels, each on the memory it is fastest on: heap arrays on one (a
 * Java kernel works on them in place), memory segments on the other (ISA-L codes native
 * memory in place, but heap arrays only through copies).
 */
record SplitMatrix(CompiledMatrix heap, CompiledMatrix segments) implements CompiledMatrix {
    @Override
    public void apply(byte[][] inputs, byte[][] outputs, int offset, int length) {
        heap.apply(inputs, outputs, offset, length);
    }

    @Override
    public void apply(MemorySegment[] inputs, MemorySegment[] outputs) {
        segments.apply(inputs, outputs);
    }
}
