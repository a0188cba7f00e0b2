package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.List;

/**
 * Get/PutBucketLifecycleConfiguration body (a class: Jackson fills its repeated elements).
 * Numbers are read as text so that a value that is no number is told apart from one out of range.
 */
@JacksonXmlRootElement(localName = "LifecycleConfiguration")
public final class LifecycleConfiguration {
    @JacksonXmlProperty(localName = "Rule")
    public List<Rule> rules;

    public static final class Rule {
        @JacksonXmlProperty(localName = "ID")
        public String id;
        /** The legacy rule-level prefix, in place of a Filter. */
        public String prefix;
        public Filter filter;
        public String status;
        public Expiration expiration;
        @JacksonXmlProperty(localName = "Transition")
        public List<Transition> transitions;
        public NoncurrentVersionExpiration noncurrentVersionExpiration;
        @JacksonXmlProperty(localName = "NoncurrentVersionTransition")
        public List<NoncurrentVersionTransition> noncurrentVersionTransitions;
        public AbortIncompleteMultipartUpload abortIncompleteMultipartUpload;
    }

    public static final class Filter {
        public String prefix;
        public Tag tag;
        public String objectSizeGreaterThan;
        public String objectSizeLessThan;
        public And and;
    }

    public static final class And {
        public String prefix;
        @JacksonXmlProperty(localName = "Tag")
        public List<Tag> tags;
        public String objectSizeGreaterThan;
        public String objectSizeLessThan;
    }

    public static final class Tag {
        public String key;
        public String value;

        public Tag() {
        }

        public Tag(String key, String value) {
            this.key = key;
            this.value = value;
        }
    }

    public static final class Expiration {
        public String days;
        public String date;
        public String expiredObjectDeleteMarker;
    }

    public static final class Transition {
        public String days;
        public String date;
        public String storageClass;
    }

    public static final class NoncurrentVersionExpiration {
        public String noncurrentDays;
        public String newerNoncurrentVersions;
    }

    public static final class NoncurrentVersionTransition {
        public String noncurrentDays;
        public String newerNoncurrentVersions;
        public String storageClass;
    }

    public static final class AbortIncompleteMultipartUpload {
        public String daysAfterInitiation;
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
