package io.mooseng.s3.handler;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DeleteObjects' window: every key once, never past the last, whether deletes finish at once or later. */
class DeleteWindowTest {
    @Test
    void tasksThatCompleteAtOnceRunEachIndexOnce() {
        List<Integer> ran = new ArrayList<>();
        Future<Void> all = new DeleteObjectsHandler.Window(4, 16, i -> {
            ran.add(i);
            return Future.succeededFuture();
        }).run();
        assertTrue(all.succeeded());
        assertEquals(List.of(0, 1, 2, 3), ran);
    }

    @Test
    void atMostParallelRunAtOnceAndTheRestFollowAsTheyFinish() {
        List<Promise<Void>> running = new ArrayList<>();
        Future<Void> all = new DeleteObjectsHandler.Window(5, 2, i -> {
            Promise<Void> p = Promise.promise();
            running.add(p);
            return p.future();
        }).run();
        assertEquals(2, running.size());
        running.get(0).complete();
        assertEquals(3, running.size());
        running.get(1).complete();
        running.get(2).complete();
        running.get(3).complete();
        assertEquals(5, running.size());
        assertFalse(all.isComplete());
        running.get(4).complete();
        assertTrue(all.succeeded());
    }

    @Test
    void nothingToDeleteCompletes() {
        assertTrue(new DeleteObjectsHandler.Window(0, 16, i -> Future.succeededFuture()).run().succeeded());
    }
}
