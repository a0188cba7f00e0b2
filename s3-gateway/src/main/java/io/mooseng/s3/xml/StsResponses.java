package io.mooseng.s3.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** The documents of the STS actions the gateway answers (AWS's query protocol, namespace {@link #NAMESPACE}). */
public final class StsResponses {
    public static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    private StsResponses() {
    }

    public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken, String expiration) {
        @Override
        public String toString() {
            return "Credentials[" + accessKeyId + "]"; // never the secret or the token
        }
    }

    public record AssumedRoleUser(String assumedRoleId, String arn) {
    }

    public record AssumeRoleResult(Credentials credentials, AssumedRoleUser assumedRoleUser) {
    }

    public record ResponseMetadata(String requestId) {
    }

    @JacksonXmlRootElement(localName = "AssumeRoleResponse")
    public record AssumeRoleResponse(AssumeRoleResult assumeRoleResult, ResponseMetadata responseMetadata) {
        @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
        public String xmlns() {
            return NAMESPACE;
        }
    }

    public record GetCallerIdentityResult(String arn, String userId, String account) {
    }

    @JacksonXmlRootElement(localName = "GetCallerIdentityResponse")
    public record GetCallerIdentityResponse(GetCallerIdentityResult getCallerIdentityResult, ResponseMetadata responseMetadata) {
        @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
        public String xmlns() {
            return NAMESPACE;
        }
    }

    /** @param type "Sender" for the client's mistakes, "Receiver" for the server's */
    public record Error(String type, String code, String message) {
    }

    /** How STS answers a failure (not S3's {@link ErrorDocument}): SDKs read the code from here. */
    @JacksonXmlRootElement(localName = "ErrorResponse")
    public record ErrorResponse(Error error, String requestId) {
        @JacksonXmlProperty(isAttribute = true, localName = "xmlns")
        public String xmlns() {
            return NAMESPACE;
        }
    }
}
