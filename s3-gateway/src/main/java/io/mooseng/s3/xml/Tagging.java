package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Get/PutObjectTagging and Get/PutBucketTagging body (a class, not a record: Jackson cannot
 * read a wrapped list into a record).
 */
@JacksonXmlRootElement(localName = "Tagging")
public final class Tagging {
    @JacksonXmlElementWrapper(localName = "TagSet")
    @JacksonXmlProperty(localName = "Tag")
    public List<Tag> tags;

    public static final class Tag {
        public String key;
        public String value;
    }

    public static Tagging of(Map<String, String> tagSet) {
        Tagging t = new Tagging();
        t.tags = new ArrayList<>(tagSet.size());
        tagSet.forEach((k, v) -> {
            Tag tag = new Tag();
            tag.key = k;
            tag.value = v;
            t.tags.add(tag);
        });
        return t;
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
