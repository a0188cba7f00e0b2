package io.mooseng.metadata.rpc;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallLaneTest {
    @Test
    void runsCallsInArrivalOrderOffTheCallersThread() throws Exception {
        CallLane lane = new CallLane();
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1000);
        for (int i = 0; i < 1000; i++) {
            int n = i;
            lane.execute(() -> {
                ran.add(n);
                threads.add(Thread.currentThread());
                done.countDown();
            });
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, ran.get(i));
        }
        threads.forEach(t -> assertNotSame(Thread.currentThread(), t));
    }

    @Test
    void aCallThatWaitsHoldsItsOwnLaneOnlyAndAFailingCallDoesNotStopIt() throws Exception {
        CallLane stuck = new CallLane();
        CallLane other = new CallLane();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch after = new CountDownLatch(1);
        stuck.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stuck.execute(after::countDown);
        CountDownLatch otherRan = new CountDownLatch(1);
        other.execute(() -> {
            throw new IllegalStateException("a call that throws");
        });
        other.execute(otherRan::countDown);
        assertTrue(otherRan.await(10, TimeUnit.SECONDS), "another lane goes on");
        assertEquals(1, after.getCount(), "the waiting lane keeps its order");
        release.countDown();
        assertTrue(after.await(10, TimeUnit.SECONDS));
    }
}
