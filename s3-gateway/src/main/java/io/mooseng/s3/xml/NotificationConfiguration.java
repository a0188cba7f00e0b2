package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

import java.util.List;

/**
 * Get/PutBucketNotificationConfiguration body (a class: Jackson fills its repeated elements).
 * MooseNG sends to webhook targets, named by QueueConfiguration ARNs; the other kinds are read
 * only to be refused.
 */
@JacksonXmlRootElement(localName = "NotificationConfiguration")
public final class NotificationConfiguration {
    @JacksonXmlProperty(localName = "QueueConfiguration")
    public List<Destination> queueConfigurations;
    @JacksonXmlProperty(localName = "TopicConfiguration")
    public List<Destination> topicConfigurations;
    @JacksonXmlProperty(localName = "CloudFunctionConfiguration")
    public List<Destination> cloudFunctionConfigurations;
    @JacksonXmlProperty(localName = "EventBridgeConfiguration")
    public Object eventBridgeConfiguration;

    public static final class Destination {
        public String id;
        public String queue;
        public String topic;
        public String cloudFunction;
        @JacksonXmlProperty(localName = "Event")
        public List<String> events;
        public Filter filter;
    }

    public static final class Filter {
        @JacksonXmlProperty(localName = "S3Key")
        public S3Key s3Key;
    }

    public static final class S3Key {
        @JacksonXmlProperty(localName = "FilterRule")
        public List<FilterRule> filterRules;
    }

    public static final class FilterRule {
        public String name;
        public String value;

        public FilterRule() {
        }

        public FilterRule(String name, String value) {
            this.name = name;
            this.value = value;
        }
    }

    @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
    public String xmlns() {
        return S3Xml.NAMESPACE;
    }
}
