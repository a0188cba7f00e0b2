package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.List;

/** DeleteObjects request body: {@code <Delete><Quiet/><Object><Key/></Object>...</Delete>}. */
@JacksonXmlRootElement(localName = "Delete")
public final class DeleteRequest {
    public Boolean quiet;
    @JacksonXmlProperty(localName = "Object")
    public List<ObjectIdentifier> objects;

    public static final class ObjectIdentifier {
        public String key;
        public String versionId;
    }
}
