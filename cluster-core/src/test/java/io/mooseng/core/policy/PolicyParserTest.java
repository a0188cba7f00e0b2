package io.mooseng.core.policy;

import io.mooseng.core.error.ErrorCode;
import io.mooseng.core.error.MooseException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Documents IAM refuses are MalformedPolicy, with a message that names the problem. */
class PolicyParserTest {
    private static final String GRANT = "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos/*\"";

    private static void refused(String json, String why) {
        MooseException e = assertThrows(MooseException.class, () -> PolicyDocument.bucketPolicy(json, "photos"), json);
        assertEquals(ErrorCode.MALFORMED_POLICY, e.code());
        assertTrue(e.getMessage().contains(why), e.getMessage() + " should say " + why);
    }

    private static String statement(String body) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{" + body + "}]}";
    }

    @Test
    void acceptsIamsForms() {
        assertDoesNotThrow(() -> PolicyDocument.bucketPolicy("{\"Statement\":{" + GRANT + "}}", "photos"));
        assertDoesNotThrow(() -> PolicyDocument.bucketPolicy("{\"Version\":\"2008-10-17\",\"Id\":\"x\",\"Statement\":[{\"Sid\":\"a\"," + GRANT
                + "},{\"Sid\":\"b\",\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[\"arn:aws:iam::111122223333:user/ops/bob\",\"carol\","
                + "\"arn:aws:iam::111122223333:root\"]},\"NotAction\":\"s3:Get*\",\"NotResource\":\"arn:aws:s3:::photos/public/*\","
                + "\"Condition\":{\"NumericLessThanIfExists\":{\"s3:max-keys\":100},\"Bool\":{\"aws:SecureTransport\":true}}}]}", "photos"));
        assertDoesNotThrow(() -> PolicyDocument.identityPolicy(statement("\"Effect\":\"Allow\",\"Action\":[\"s3:*\",\"iam:GetUser\"],\"Resource\":\"*\"")));
    }

    @Test
    void refusesWhatIamRefuses() {
        refused("not json", "valid JSON");
        refused("[1]", "first byte must be '{'");
        refused("{\"Version\":\"2020-01-01\",\"Statement\":[{" + GRANT + "}]}", "valid version string");
        refused("{\"Version\":\"2012-10-17\"}", "Missing required field Statement");
        refused("{\"Version\":\"2012-10-17\",\"Statement\":[]}", "non-empty array");
        refused("{\"Statement\":[{" + GRANT + "}],\"Extra\":1}", "Unknown field Extra");
        refused("{\"Statement\":[{" + GRANT + "},{" + GRANT + "}],\"Statement\":[]}", "valid JSON");
        refused(statement(GRANT.replace("Allow", "allow")), "Invalid effect");
        refused(statement(GRANT.replace("\"Effect\":\"Allow\",", "")), "Missing required field Effect");
        refused(statement(GRANT.replace("\"Principal\":\"*\",", "")), "Missing required field Principal");
        refused(statement(GRANT.replace("\"Principal\":\"*\"", "\"Principal\":{\"Service\":\"s3.amazonaws.com\"}")), "Invalid principal");
        refused(statement(GRANT.replace("\"Principal\":\"*\"", "\"Principal\":{\"AWS\":\"arn:aws:iam::1:group/x\"}")), "Invalid principal");
        refused(statement(GRANT.replace("\"Action\":\"s3:GetObject\",", "")), "Missing required field Action");
        refused(statement(GRANT + ",\"NotAction\":\"s3:PutObject\""), "both Action and NotAction");
        refused(statement(GRANT.replace("s3:GetObject", "ec2:RunInstances")), "invalid action");
        refused(statement(GRANT.replace("s3:GetObject", "s3 GetObject")), "invalid action");
        refused(statement(GRANT.replace(",\"Resource\":\"arn:aws:s3:::photos/*\"", "")), "Missing required field Resource");
        refused(statement(GRANT.replace("arn:aws:s3:::photos/*", "arn:aws:s3:::other/*")), "invalid resource");
        refused(statement(GRANT.replace("\"s3:GetObject\"", "[]")), "must not be empty");
        refused(statement(GRANT + ",\"Condition\":{\"StringEqualz\":{\"s3:prefix\":\"a\"}}"), "Invalid Condition type : StringEqualz");
        refused(statement(GRANT + ",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-1\"}}"), "invalid condition key");
        refused(statement(GRANT + ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"localhost\"}}"), "IP addresses or CIDR");
        refused(statement(GRANT + ",\"Condition\":{\"NumericLessThan\":{\"s3:max-keys\":\"ten\"}}"), "needs numbers");
        refused(statement(GRANT + ",\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"tomorrow\"}}"), "ISO 8601");
        refused(statement(GRANT + ",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"yes\"}}"), "true or false");
        refused(statement(GRANT.replace("photos/*", "photos/${aws:nope}/*")), "Unsupported policy variable");
        refused("{\"Statement\":[{\"Sid\":\"x\"," + GRANT + "},{\"Sid\":\"x\"," + GRANT + "}]}", "must be unique");
        MooseException principal = assertThrows(MooseException.class, () -> PolicyDocument.identityPolicy(statement(GRANT)));
        assertTrue(principal.getMessage().contains("should not specify a principal"), principal.getMessage());
    }
}
