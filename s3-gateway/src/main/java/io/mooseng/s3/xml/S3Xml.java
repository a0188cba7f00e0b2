package io.mooseng.s3.xml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import io.mooseng.s3.error.S3Error;
import io.mooseng.s3.error.S3Exception;

import com.ctc.wstx.api.WstxInputProperties;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Reads and writes S3 XML documents. Element names are the record components in
 * UpperCamelCase. Jackson writes {@code xmlns=""} on children when the root has a
 * namespace, so roots carry none and declare {@code xmlns} as an attribute instead.
 */
public final class S3Xml {
    public static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    /**
     * Deepest element nesting of a request body. S3's deepest document (an ACL's
     * AccessControlPolicy/AccessControlList/Grant/Grantee/ID) has 5 levels; anything much
     * deeper is hostile, and refused before any deserializer walks it.
     */
    public static final int MAX_DEPTH = 16;

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final XMLInputFactory INPUT = createInput();
    private static final XmlMapper MAPPER = createMapper();

    private S3Xml() {
    }

    /** Request bodies are untrusted: no DTDs, no external entities, bounded nesting (Woodstox's own limit). */
    private static XMLInputFactory createInput() {
        XMLInputFactory input = XMLInputFactory.newFactory();
        input.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        input.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        input.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, MAX_DEPTH);
        return input;
    }

    private static XmlMapper createMapper() {
        return XmlMapper.builder(XmlFactory.builder().xmlInputFactory(INPUT).build())
                .defaultUseWrapper(false)
                .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                // a second document after the first is malformed, not ignored
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
                .configure(ToXmlGenerator.Feature.WRITE_XML_DECLARATION, true)
                .build();
    }

    /** The document as UTF-8 bytes with an XML declaration. */
    public static byte[] write(Object document) {
        try {
            return MAPPER.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses a request body.
     *
     * @throws S3Exception MalformedXML when the body is empty, not the expected document, has a
     *                     DOCTYPE (S3's documents have none: refusing any keeps entity expansion,
     *                     internal or external, out of reach) or nests deeper than {@link #MAX_DEPTH}
     */
    public static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw S3Error.MALFORMED_XML.exception();
        }
        XMLStreamReader reader = null;
        try {
            reader = INPUT.createXMLStreamReader(new ByteArrayInputStream(body));
            while (reader.getEventType() != XMLStreamConstants.START_ELEMENT) {
                if (reader.getEventType() == XMLStreamConstants.DTD || reader.getEventType() == XMLStreamConstants.END_DOCUMENT) {
                    throw S3Error.MALFORMED_XML.exception();
                }
                reader.next();
            }
            T value = MAPPER.readValue(reader, type);
            if (value == null) {
                throw S3Error.MALFORMED_XML.exception();
            }
            return value;
        } catch (JacksonException | XMLStreamException e) {
            throw S3Error.MALFORMED_XML.exception();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            close(reader);
        }
    }

    private static void close(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException e) {
                // nothing held but the array it read
            }
        }
    }

    /** ISO-8601 with milliseconds, as S3 writes LastModified and CreationDate. */
    public static String timestamp(long epochMillis) {
        return TIMESTAMP.format(Instant.ofEpochMilli(epochMillis));
    }
}
