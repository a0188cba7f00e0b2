package io.mooseng.metadata.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** A hand-written binary encoding of one type; composable into lists and optionals. */
public interface Codec<T> {
    void write(BinaryWriter w, T value);

    T read(BinaryReader r);

    static <T> Codec<T> of(BiConsumer<BinaryWriter, T> writer, Function<BinaryReader, T> reader) {
        return new Codec<>() {
            @Override
            public void write(BinaryWriter w, T value) {
                writer.accept(w, value);
            }

            @Override
            public T read(BinaryReader r) {
                return reader.apply(r);
            }
        };
    }

    default Codec<List<T>> list() {
        Codec<T> element = this;
        return of((w, values) -> {
            w.varLong(values.size());
            values.forEach(v -> element.write(w, v));
        }, r -> {
            int n = r.varInt();
            List<T> out = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                out.add(element.read(r));
            }
            return List.copyOf(out);
        });
    }

    /** This codec for a value that may be null. */
    default Codec<T> nullable() {
        Codec<T> element = this;
        return of((w, v) -> {
            w.bool(v != null);
            if (v != null) {
                element.write(w, v);
            }
        }, r -> r.bool() ? element.read(r) : null);
    }

    default Codec<Optional<T>> optional() {
        Codec<T> element = this;
        return of((w, v) -> {
            w.bool(v.isPresent());
            v.ifPresent(x -> element.write(w, x));
        }, r -> r.bool() ? Optional.of(element.read(r)) : Optional.empty());
    }
}
