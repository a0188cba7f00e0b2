package io.mooseng.core.maintenance;

import io.mooseng.core.model.BucketInfo;
import io.mooseng.core.model.BucketPolicy;
import io.mooseng.core.model.LifecycleRule;
import io.mooseng.core.model.StorageClass;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.mooseng.core.maintenance.ConversionWalks.WALK_AGAIN_MILLIS;
import static io.mooseng.core.model.LifecycleRule.NONE;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConversionWalksTest {
    private static final BucketPolicy EC = BucketPolicy.of(StorageClass.EC_4_2);

    private static BucketInfo bucket(String name, BucketPolicy policy) {
        return new BucketInfo(name, 7, 0, policy);
    }

    @Test
    void aCleanBucketIsWalkedAgainOnlyWhenItsPolicyChangesOrAnHourLater() {
        ConversionWalks walks = new ConversionWalks();
        BucketInfo b = bucket("b", EC);
        assertTrue(walks.due(b, 1_000), "never walked");
        walks.walked(b, 1_000, 0);
        assertFalse(walks.due(b, 2_000));
        assertFalse(walks.due(b, 1_000 + WALK_AGAIN_MILLIS - 1));
        assertTrue(walks.due(b, 1_000 + WALK_AGAIN_MILLIS));
        assertTrue(walks.due(bucket("b", EC.withPrefixClass("logs/", StorageClass.replicated(2))), 2_000), "a prefix class set");
        assertTrue(walks.due(bucket("b", EC.withDefaultClass(StorageClass.replicated(3))), 2_000), "the default class changed");
        assertTrue(walks.due(bucket("other", EC), 2_000), "another bucket");
        walks.clear();
        assertTrue(walks.due(b, 2_000), "after leading again");
    }

    @Test
    void aWalkThatLeftObjectsPendingIsDueAgain() {
        ConversionWalks walks = new ConversionWalks();
        BucketInfo b = bucket("b", EC);
        walks.walked(b, 1_000, 3);
        assertTrue(walks.due(b, 2_000));
        walks.walked(b, 2_000, 0);
        assertFalse(walks.due(b, 3_000));
        walks.walked(b, 3_000, 1);
        assertTrue(walks.due(b, 4_000), "pending again");
    }

    @Test
    void bucketsWhoseTargetsMoveWithTimeAreWalkedEveryCycle() {
        ConversionWalks walks = new ConversionWalks();
        BucketInfo cold = bucket("cold", BucketPolicy.of(StorageClass.replicated(2)).withColdConversion(60_000, StorageClass.EC_4_2));
        LifecycleRule transition = new LifecycleRule("t", true, LifecycleRule.Filter.ALL, NONE, NONE, false, NONE, 0, NONE,
                List.of(new LifecycleRule.Transition(30, NONE, StorageClass.EC_4_2)));
        BucketInfo moving = bucket("moving", EC.withLifecycle(List.of(transition)));
        LifecycleRule expiry = new LifecycleRule("e", true, LifecycleRule.Filter.ALL, 30, NONE, false, NONE, 0, NONE, List.of());
        BucketInfo expiring = bucket("expiring", EC.withLifecycle(List.of(expiry)));
        for (BucketInfo b : List.of(cold, moving, expiring)) {
            walks.walked(b, 1_000, 0);
        }
        assertTrue(walks.due(cold, 2_000));
        assertTrue(walks.due(moving, 2_000));
        assertFalse(walks.due(expiring, 2_000), "expiry is the lifecycle runner's, not a class change");
    }

    @Test
    void aBucketDeletedAndCreatedAgainIsWalked() {
        ConversionWalks walks = new ConversionWalks();
        BucketInfo b = bucket("b", EC.withTags(Map.of("k", "v")));
        walks.walked(b, 1_000, 0);
        walks.retain(List.of(bucket("x", EC)));
        assertTrue(walks.due(b, 2_000));
    }
}
