package io.mooseng.s3.xml;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;

import java.io.IOException;
import java.util.List;

/**
 * ListObjectVersions response. Its object versions and delete markers are one sequence in listing order, each
 * element named by its kind, which a bean's separate lists cannot say: {@link Writer} writes the document.
 */
@JacksonXmlRootElement(localName = "ListVersionsResult")
@JsonSerialize(using = ListVersionsResult.Writer.class)
public record ListVersionsResult(String name, String prefix, String keyMarker, String versionIdMarker, String nextKeyMarker,
                                 String nextVersionIdMarker, int maxKeys, String delimiter, String encodingType, boolean isTruncated,
                                 List<Entry> entries, List<CommonPrefix> commonPrefixes) {

    /** A {@code <Version>} or a {@code <DeleteMarker>}. */
    public sealed interface Entry permits Version, DeleteMarker {
    }

    public record Version(String key, String versionId, boolean isLatest, String lastModified, String eTag, long size,
                          String storageClass, Owner owner) implements Entry {
    }

    public record DeleteMarker(String key, String versionId, boolean isLatest, String lastModified, Owner owner) implements Entry {
    }

    /** Fields in S3's order (null ones left out); entries through the mapper, so they are named as every other document's. */
    static final class Writer extends StdSerializer<ListVersionsResult> {
        Writer() {
            super(ListVersionsResult.class);
        }

        @Override
        public void serialize(ListVersionsResult r, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            if (gen instanceof ToXmlGenerator xml) {
                xml.setNextIsAttribute(true);
                gen.writeStringField("xmlns", S3Xml.NAMESPACE);
                xml.setNextIsAttribute(false);
            }
            field(gen, "Name", r.name());
            field(gen, "Prefix", r.prefix());
            field(gen, "KeyMarker", r.keyMarker());
            field(gen, "VersionIdMarker", r.versionIdMarker());
            field(gen, "NextKeyMarker", r.nextKeyMarker());
            field(gen, "NextVersionIdMarker", r.nextVersionIdMarker());
            gen.writeNumberField("MaxKeys", r.maxKeys());
            field(gen, "Delimiter", r.delimiter());
            field(gen, "EncodingType", r.encodingType());
            gen.writeBooleanField("IsTruncated", r.isTruncated());
            for (Entry e : r.entries()) {
                provider.defaultSerializeField(e instanceof Version ? "Version" : "DeleteMarker", e, gen);
            }
            for (CommonPrefix p : r.commonPrefixes()) {
                provider.defaultSerializeField("CommonPrefixes", p, gen);
            }
            gen.writeEndObject();
        }

        private static void field(JsonGenerator gen, String name, String value) throws IOException {
            if (value != null) {
                gen.writeStringField(name, value);
            }
        }
    }
}
