package io.mooseng.core.policy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mooseng.core.policy.PolicyEvaluator.Decision.ALLOW;
import static io.mooseng.core.policy.PolicyEvaluator.Decision.EXPLICIT_DENY;
import static io.mooseng.core.policy.PolicyEvaluator.Decision.IMPLICIT_DENY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AWS's evaluation rules over identity and bucket policies, wildcards, principals, NotAction and NotResource. */
class PolicyEvaluatorTest {
    private static final RequestContext NO_KEYS = RequestContext.builder().build();

    static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    private static PolicyDocument identity(String... statements) {
        return PolicyDocument.identityPolicy(policy(statements));
    }

    private static PolicyDocument bucket(String... statements) {
        return PolicyDocument.bucketPolicy(policy(statements), "photos");
    }

    private static AccessRequest request(String user, String action, String key) {
        return new AccessRequest(user, action, AccessRequest.arn("photos", key), NO_KEYS);
    }

    private static PolicyEvaluator.Decision decide(AccessRequest r, List<PolicyDocument> identities, PolicyDocument bucketPolicy) {
        return PolicyEvaluator.decide(r, identities, bucketPolicy);
    }

    @Test
    void listingBucketsIsGrantedByAStarOrAnyS3Resource() {
        AccessRequest listBuckets = new AccessRequest("alice", "s3:ListAllMyBuckets", AccessRequest.arn(null, null), NO_KEYS);
        for (String resource : List.of("*", "arn:aws:s3:::*")) {
            PolicyDocument p = identity("{\"Effect\":\"Allow\",\"Action\":\"s3:ListAllMyBuckets\",\"Resource\":\"" + resource + "\"}");
            assertEquals(ALLOW, decide(listBuckets, List.of(p), null), resource);
        }
        PolicyDocument someBuckets = identity("{\"Effect\":\"Allow\",\"Action\":\"s3:ListAllMyBuckets\",\"Resource\":\"arn:aws:s3:::photos*\"}");
        assertEquals(IMPLICIT_DENY, decide(listBuckets, List.of(someBuckets), null));
    }

    @Test
    void nothingAppliesMeansImplicitDeny() {
        assertEquals(IMPLICIT_DENY, decide(request("alice", "s3:GetObject", "a"), List.of(), null));
        PolicyDocument readOther = identity("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::other/*\"}");
        assertEquals(IMPLICIT_DENY, decide(request("alice", "s3:GetObject", "a"), List.of(readOther), null));
    }

    @Test
    void anAllowInEitherKindOfPolicyAllows() {
        PolicyDocument read = identity("{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"arn:aws:s3:::photos/*\"}");
        assertEquals(ALLOW, decide(request("alice", "s3:GetObject", "a/b.jpg"), List.of(read), null));
        assertEquals(IMPLICIT_DENY, decide(request("alice", "s3:PutObject", "a/b.jpg"), List.of(read), null));
        PolicyDocument grant = bucket("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::123456789012:user/bob\"]},"
                + "\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::photos/uploads/*\"}");
        assertEquals(ALLOW, decide(request("bob", "s3:PutObject", "uploads/x"), List.of(), grant));
        assertEquals(IMPLICIT_DENY, decide(request("bob", "s3:PutObject", "other/x"), List.of(), grant));
        assertEquals(IMPLICIT_DENY, decide(request("alice", "s3:PutObject", "uploads/x"), List.of(), grant), "bob's grant is not alice's");
        assertEquals(IMPLICIT_DENY, decide(request(null, "s3:PutObject", "uploads/x"), List.of(), grant), "nor an anonymous caller's");
    }

    @Test
    void anExplicitDenyAnywhereBeatsEveryAllow() {
        PolicyDocument all = identity("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}");
        PolicyDocument denySecret = bucket("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::photos/secret/*\"}", "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::photos/*\"}");
        assertEquals(EXPLICIT_DENY, decide(request("alice", "s3:GetObject", "secret/plan"), List.of(all), denySecret));
        assertEquals(ALLOW, decide(request("alice", "s3:GetObject", "public/x"), List.of(all), denySecret));
        PolicyDocument denyInIdentity = identity("{\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}");
        assertEquals(EXPLICIT_DENY, decide(request("alice", "s3:GetObject", "public/x"), List.of(all, denyInIdentity), denySecret));
    }

    @Test
    void anonymousCallersAreEveryoneAndNoOneInParticular() {
        PolicyDocument publicRead = bucket("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"s3:GetObject\"],"
                + "\"Resource\":[\"arn:aws:s3:::photos/*\"]}");
        assertEquals(ALLOW, decide(request(null, "s3:GetObject", "a"), List.of(), publicRead));
        assertEquals(ALLOW, decide(request("alice", "s3:GetObject", "a"), List.of(), publicRead));
        assertEquals(IMPLICIT_DENY, decide(request(null, "s3:ListBucket", null), List.of(), publicRead));
        assertTrue(publicRead.isPublic());
    }

    @Test
    void actionsIgnoreCaseResourcesDoNotAndStarsCrossSlashes() {
        PolicyDocument p = identity("{\"Effect\":\"Allow\",\"Action\":\"S3:getobj?ct\",\"Resource\":\"arn:aws:s3:::photos/*/raw/*.jpg\"}");
        assertEquals(ALLOW, decide(request("a", "s3:GetObject", "2024/06/raw/x.jpg"), List.of(p), null));
        assertEquals(IMPLICIT_DENY, decide(request("a", "s3:GetObject", "2024/06/RAW/x.jpg"), List.of(p), null));
        assertEquals(IMPLICIT_DENY, decide(request("a", "s3:GetObject", "2024/06/raw/x.png"), List.of(p), null));
        PolicyDocument bucketOnly = identity("{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::photos\"}");
        assertEquals(ALLOW, decide(request("a", "s3:ListBucket", null), List.of(bucketOnly), null));
        assertEquals(IMPLICIT_DENY, decide(request("a", "s3:ListBucket", "k"), List.of(bucketOnly), null), "a bucket ARN is not its objects'");
    }

    @Test
    void notActionAndNotResourceMeanEverythingElse() {
        PolicyDocument p = identity("{\"Effect\":\"Allow\",\"NotAction\":[\"s3:Delete*\",\"s3:PutBucketPolicy\"],\"Resource\":\"*\"}",
                "{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"NotResource\":[\"arn:aws:s3:::photos\",\"arn:aws:s3:::photos/*\"]}");
        assertEquals(ALLOW, decide(request("a", "s3:PutObject", "k"), List.of(p), null));
        assertEquals(IMPLICIT_DENY, decide(request("a", "s3:DeleteObject", "k"), List.of(p), null));
        assertEquals(EXPLICIT_DENY, PolicyEvaluator.decide(new AccessRequest("a", "s3:GetObject", AccessRequest.arn("other", "k"), NO_KEYS),
                List.of(p), null));
    }

    @Test
    void notPrincipalAppliesToEveryoneElse() {
        PolicyDocument p = bucket("{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[\"admin-bot\"]},\"Action\":\"s3:DeleteObject\","
                + "\"Resource\":\"arn:aws:s3:::photos/*\"}", "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::photos/*\"}");
        assertEquals(ALLOW, decide(request("admin-bot", "s3:DeleteObject", "k"), List.of(), p));
        assertEquals(EXPLICIT_DENY, decide(request("alice", "s3:DeleteObject", "k"), List.of(), p));
        assertEquals(EXPLICIT_DENY, decide(request(null, "s3:DeleteObject", "k"), List.of(), p));
    }

    @Test
    void policyVariablesStandForTheRequestsValues() {
        PolicyDocument home = identity("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::photos/home/${aws:username}/*\"}");
        RequestContext alice = RequestContext.builder().put(ConditionKeys.USERNAME, "alice").build();
        assertEquals(ALLOW, PolicyEvaluator.decide(new AccessRequest("alice", "s3:PutObject", "arn:aws:s3:::photos/home/alice/x", alice),
                List.of(home), null));
        assertEquals(IMPLICIT_DENY, PolicyEvaluator.decide(new AccessRequest("alice", "s3:PutObject", "arn:aws:s3:::photos/home/bob/x", alice),
                List.of(home), null));
        assertEquals(IMPLICIT_DENY, PolicyEvaluator.decide(new AccessRequest(null, "s3:PutObject", "arn:aws:s3:::photos/home/${aws:username}/x",
                NO_KEYS), List.of(home), null), "no value, no match");
        PolicyDocument literal = PolicyDocument.identityPolicy("{\"Version\":\"2008-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"arn:aws:s3:::photos/${aws:username}\"}}");
        assertEquals(ALLOW, PolicyEvaluator.decide(new AccessRequest("a", "s3:GetObject", "arn:aws:s3:::photos/${aws:username}", alice),
                List.of(literal), null), "before 2012-10-17 ${...} is text");
    }

    @Test
    void policyStatusIsPublicForGrantsToEveryoneWithoutANarrowingCondition() {
        String grant = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos/*\"";
        assertTrue(bucket(grant + "}").isPublic());
        assertTrue(bucket(grant + ",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}").isPublic());
        assertFalse(bucket(grant + ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}").isPublic());
        assertTrue(bucket(grant + ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"0.0.0.0/0\"}}}").isPublic());
        assertFalse(bucket("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"bob\"},\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::photos/*\"}").isPublic());
        assertFalse(bucket("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::photos/*\"}").isPublic());
    }

    @Test
    void wildcardsMatchLikeIam() {
        assertTrue(Wildcard.matches("*", "", false));
        assertTrue(Wildcard.matches("a*b*c", "aXXbYYbc", false));
        assertFalse(Wildcard.matches("a*b*c", "aXXbYYbcd", false));
        assertTrue(Wildcard.matches("a?c", "abc", false));
        assertFalse(Wildcard.matches("a?c", "ac", false));
        assertTrue(Wildcard.matches("s3:get*", "s3:GetObject", true));
        assertFalse(Wildcard.matches("s3:get*", "s3:GetObject", false));
    }
}
