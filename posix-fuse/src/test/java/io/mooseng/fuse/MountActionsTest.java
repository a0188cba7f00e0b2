package io.mooseng.fuse;

import io.mooseng.core.policy.PolicyDocument;
import io.mooseng.core.policy.PolicyEvaluator;
import io.mooseng.core.policy.PolicyEvaluator.Decision;
import io.mooseng.fuse.MountActions.Check;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which IAM action each FUSE operation needs, and what a policy decides about it, without a kernel or a cluster. */
class MountActionsTest {
    private static final FusePath ROOT = FusePath.parse("/", null);
    private static final FusePath TEAM = FusePath.parse("/b/team", null);
    private static final FusePath FILE = FusePath.parse("/b/team/x.txt", null);

    @Test
    void operationsNeedTheActionsTheSameChangeNeedsOverS3() {
        assertEquals(List.of(Check.on("s3:ListAllMyBuckets", null, null)), MountActions.list(ROOT));
        assertEquals(List.of(new Check("s3:ListBucket", "b", null, "")), MountActions.list(FusePath.parse("/b", null)));
        assertEquals(List.of(new Check("s3:ListBucket", "b", null, "team/")), MountActions.list(TEAM));
        // an entry is seen through a listing of its directory; a bucket through its own top
        assertEquals(MountActions.list(TEAM), MountActions.see(FILE));
        assertEquals(List.of(new Check("s3:ListBucket", "b", null, "")), MountActions.see(FusePath.parse("/b", null)));
        assertEquals(List.of(), MountActions.see(ROOT));

        assertEquals(List.of(Check.on("s3:GetObject", "b", "team/x.txt")), MountActions.open(FILE, true, false));
        assertEquals(List.of(Check.on("s3:PutObject", "b", "team/x.txt")), MountActions.open(FILE, false, true));
        assertEquals(List.of(Check.on("s3:GetObject", "b", "team/x.txt"), Check.on("s3:PutObject", "b", "team/x.txt")),
                MountActions.open(FILE, true, true));
        assertEquals(List.of(Check.on("s3:PutObject", "b", "team/x.txt")), MountActions.create(FILE, false));
        // a directory is its marker key
        assertEquals(List.of(Check.on("s3:PutObject", "b", "team/")), MountActions.create(TEAM, true));
        assertEquals(List.of(Check.on("s3:DeleteObject", "b", "team/")), MountActions.remove(TEAM, true));
        assertEquals(List.of(Check.on("s3:DeleteObject", "b", "team/x.txt")), MountActions.remove(FILE, false));
        assertEquals(List.of(Check.on("s3:PutObject", "b", "team/")), MountActions.write(TEAM, true));
        // at the mount's root, directories are buckets
        assertEquals(List.of(Check.on("s3:CreateBucket", "c", null)), MountActions.create(FusePath.parse("/c", null), true));
        assertEquals(List.of(Check.on("s3:DeleteBucket", "c", null)), MountActions.remove(FusePath.parse("/c", null), true));

        FusePath to = FusePath.parse("/b/done/x.txt", null);
        assertEquals(List.of(Check.on("s3:GetObject", "b", "team/x.txt"), Check.on("s3:DeleteObject", "b", "team/x.txt"),
                Check.on("s3:PutObject", "b", "done/x.txt")), MountActions.rename(FILE, to, false));
        assertEquals(List.of(Check.on("s3:GetObject", "b", "team/x.txt"), Check.on("s3:PutObject", "b", "done/x.txt")),
                MountActions.link(FILE, to));
    }

    @Test
    void aTwinFormNameNeedsTheActionOnTheObjectItMayStandForToo() {
        FusePath twin = FusePath.parse("/b/team/x.~object", null);
        assertEquals(List.of(Check.on("s3:GetObject", "b", "team/x.~object"), Check.on("s3:GetObject", "b", "team/x")),
                MountActions.open(twin, true, false));
        assertEquals(List.of(Check.on("s3:DeleteObject", "b", "team/x.~object"), Check.on("s3:DeleteObject", "b", "team/x")),
                MountActions.remove(twin, false));
        assertEquals(List.of(Check.on("s3:GetObject", "b", "y.~object"), Check.on("s3:GetObject", "b", "y")),
                MountActions.read(FusePath.parse("/b/y.~object", null), false));
        // a directory of that form is only a directory
        assertEquals(List.of(Check.on("s3:PutObject", "b", "team/x.~object/")), MountActions.write(twin, true));
    }

    private static final PolicyDocument READ_A_WRITE_B_TEAM = PolicyDocument.identityPolicy("""
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::a", "arn:aws:s3:::a/*"]},
              {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
               "Condition": {"StringLike": {"s3:prefix": ["", "team/*"]}}},
              {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::b/team/*"},
              {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}""");

    private static Decision decide(List<Check> checks, boolean tls) {
        Decision last = Decision.ALLOW;
        for (Check c : checks) {
            last = PolicyEvaluator.decide(PolicyAccess.request("alice", c, tls, Instant.now()), List.of(READ_A_WRITE_B_TEAM), null);
            if (last != Decision.ALLOW) {
                return last;
            }
        }
        return last;
    }

    @Test
    void aPolicyDecidesMountOperationsAsItDecidesS3Requests() {
        FusePath inA = FusePath.parse("/a/doc.txt", null);
        assertEquals(Decision.ALLOW, decide(MountActions.open(inA, true, false), true));
        assertEquals(Decision.ALLOW, decide(MountActions.see(inA), true));
        assertEquals(Decision.IMPLICIT_DENY, decide(MountActions.open(inA, false, true), true));
        assertEquals(Decision.IMPLICIT_DENY, decide(MountActions.remove(inA, false), true));

        assertEquals(Decision.ALLOW, decide(MountActions.see(TEAM), true), "the bucket's top may be listed to reach team/");
        assertEquals(Decision.ALLOW, decide(MountActions.list(TEAM), true));
        assertEquals(Decision.ALLOW, decide(MountActions.create(FILE, false), true));
        assertEquals(Decision.IMPLICIT_DENY, decide(MountActions.create(FusePath.parse("/b/other", null), false), true));
        assertEquals(Decision.IMPLICIT_DENY, decide(MountActions.list(FusePath.parse("/b/other", null)), true));
        assertEquals(Decision.IMPLICIT_DENY, decide(MountActions.rename(FILE, FusePath.parse("/b/other", null), false), true),
                "a rename out of the writable prefix puts outside it");
        assertEquals(Decision.IMPLICIT_DENY, decide(MountActions.list(ROOT), true), "no s3:ListAllMyBuckets");
        assertEquals(Decision.EXPLICIT_DENY, decide(MountActions.open(inA, true, false), false), "aws:SecureTransport is false without TLS");
    }
}
