package io.mooseng.core.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.mooseng.core.model.LifecycleRule.NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifecycleRuleTest {
    private static final long DAY = 86_400_000L;

    private static LifecycleRule expiring(LifecycleRule.Filter filter, int days, long date) {
        return new LifecycleRule("r", true, filter, days, date, false, NONE, 0, NONE, List.of());
    }

    @Test
    void filterConditionsMustAllHold() {
        var f = new LifecycleRule.Filter("logs/", Map.of("tier", "cold", "team", "a"), 100, 1000);
        Map<String, String> tags = Map.of("tier", "cold", "team", "a", "other", "x");
        assertTrue(f.matches("logs/1", 500, tags));
        assertFalse(f.matches("data/1", 500, tags), "prefix");
        assertFalse(f.matches("logs/1", 100, tags), "size must be greater than 100");
        assertFalse(f.matches("logs/1", 1000, tags), "size must be less than 1000");
        assertFalse(f.matches("logs/1", 500, Map.of("tier", "cold")), "every tag");
        assertFalse(f.matches("logs/1", 500, Map.of("tier", "hot", "team", "a")), "tag values");
        assertFalse(f.matches("logs/1", 500, null), "tags unknown");
        assertTrue(f.needsTags());
        assertTrue(LifecycleRule.Filter.ALL.matches("anything", 0, null));
        assertFalse(LifecycleRule.Filter.ALL.needsTags());
    }

    @Test
    void daysCountFromTheStartAndDatesAreInstants() {
        LifecycleRule byDays = expiring(LifecycleRule.Filter.ALL, 30, NONE);
        assertFalse(byDays.expires(0, 30 * DAY - 1, DAY));
        assertTrue(byDays.expires(0, 30 * DAY, DAY));
        assertTrue(byDays.expires(0, 30 * 1000, 1000), "a shortened day");
        LifecycleRule byDate = expiring(LifecycleRule.Filter.ALL, NONE, 1_700_000_000_000L);
        assertFalse(byDate.expires(0, 1_699_999_999_999L, DAY));
        assertTrue(byDate.expires(1_750_000_000_000L, 1_700_000_000_000L, DAY), "a date applies whatever the object's age");
        LifecycleRule none = expiring(LifecycleRule.Filter.ALL, NONE, NONE);
        assertFalse(none.expires(0, Long.MAX_VALUE / 2, DAY));
    }

    @Test
    void theLatestDueTransitionWinsAndDisabledRulesDoNot() {
        LifecycleRule stages = new LifecycleRule("t", true, new LifecycleRule.Filter("a/", Map.of(), NONE, NONE), NONE, NONE, false,
                NONE, 0, NONE, List.of(new LifecycleRule.Transition(30, NONE, StorageClass.EC_4_2),
                new LifecycleRule.Transition(90, NONE, StorageClass.erasure(8, 4))));
        assertNull(stages.transitionClass(0, 29 * DAY, DAY));
        assertEquals(StorageClass.EC_4_2, stages.transitionClass(0, 30 * DAY, DAY));
        assertEquals(StorageClass.erasure(8, 4), stages.transitionClass(0, 90 * DAY, DAY));
        assertEquals(StorageClass.erasure(8, 4), LifecycleRule.transitionClass(List.of(stages), "a/x", 1, null, 0, 100 * DAY, DAY));
        assertNull(LifecycleRule.transitionClass(List.of(stages), "b/x", 1, null, 0, 100 * DAY, DAY), "filtered out");
        LifecycleRule disabled = new LifecycleRule("d", false, LifecycleRule.Filter.ALL, NONE, NONE, false, NONE, 0, NONE,
                List.of(new LifecycleRule.Transition(0, NONE, StorageClass.replicated(2))));
        assertNull(LifecycleRule.transitionClass(List.of(disabled), "a/x", 1, null, 0, 100 * DAY, DAY));
        assertThrows(IllegalArgumentException.class, () -> new LifecycleRule.Transition(1, 5, StorageClass.EC_4_2));
        assertThrows(IllegalArgumentException.class, () -> new LifecycleRule.Transition(NONE, NONE, StorageClass.EC_4_2));
    }

    @Test
    void noncurrentVersionsAndUploadsCountFromTheirOwnStart() {
        LifecycleRule r = new LifecycleRule("n", true, LifecycleRule.Filter.ALL, NONE, NONE, true, 2, 1, 7, List.of());
        assertFalse(r.noncurrentExpires(10 * DAY, 11 * DAY, DAY));
        assertTrue(r.noncurrentExpires(10 * DAY, 12 * DAY, DAY));
        assertFalse(r.abortsUpload(0, 7 * DAY - 1, DAY));
        assertTrue(r.abortsUpload(0, 7 * DAY, DAY));
        assertFalse(r.expires(0, Long.MAX_VALUE / 2, DAY), "ExpiredObjectDeleteMarker alone expires no current version");
    }

    @Test
    void noncurrentTransitionsCountFromTheSuccessorAndSpareTheNewest() {
        LifecycleRule r = new LifecycleRule("nt", true, new LifecycleRule.Filter("a/", Map.of(), NONE, NONE), NONE, NONE, false, NONE, 0,
                NONE, List.of(), List.of(new LifecycleRule.NoncurrentTransition(1, 1, StorageClass.EC_4_2),
                new LifecycleRule.NoncurrentTransition(5, 0, StorageClass.erasure(8, 4))));
        List<LifecycleRule> rules = List.of(r);
        assertNull(LifecycleRule.noncurrentTransitionClass(rules, "a/x", 1, Map.of(), 1, 10 * DAY, 10 * DAY + DAY - 1, DAY));
        assertEquals(StorageClass.EC_4_2, LifecycleRule.noncurrentTransitionClass(rules, "a/x", 1, Map.of(), 1, 10 * DAY, 11 * DAY, DAY));
        assertNull(LifecycleRule.noncurrentTransitionClass(rules, "a/x", 1, Map.of(), 0, 10 * DAY, 11 * DAY, DAY),
                "the newest noncurrent version is spared by NewerNoncurrentVersions 1");
        assertEquals(StorageClass.erasure(8, 4), LifecycleRule.noncurrentTransitionClass(rules, "a/x", 1, Map.of(), 0, 10 * DAY, 15 * DAY, DAY));
        assertNull(LifecycleRule.noncurrentTransitionClass(rules, "b/x", 1, Map.of(), 3, 0, 100 * DAY, DAY), "filtered out");
    }
}
