package io.mooseng.s3compat;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ThreadDumpsTest {
    private static final String DUMP = """
            2026-12-05 06:00:00
            Full thread dump OpenJDK 64-Bit Server VM (25.0.3+9-LTS mixed mode, sharing):

            "main" #1 [100] prio=5 os_prio=0 cpu=1.00ms elapsed=10.00s tid=0x1 nid=100 waiting on condition  [0x2]
               java.lang.Thread.State: TIMED_WAITING (sleeping)
            \tat java.lang.Thread.sleep0(java.base@25.0.3/Native Method)

            "mooseng-raft-rpc-3-1" #30 [130] daemon prio=10 os_prio=0 cpu=5.00ms elapsed=9.00s tid=0x3 nid=130 waiting for monitor entry  [0x4]
               java.lang.Thread.State: BLOCKED (on object monitor)
            \tat org.apache.ratis.server.impl.RaftServerImpl.appendEntriesAsync(RaftServerImpl.java:1652)
            \t- waiting to lock <0x00000000c1> (a org.apache.ratis.server.impl.RaftServerImpl)
            \tat org.apache.ratis.server.impl.RaftServerImpl.appendEntriesAsync(RaftServerImpl.java:1571)
            \tat org.apache.ratis.server.impl.RaftServerProxy.lambda$appendEntriesAsync$0(RaftServerProxy.java:655)
            \tat java.util.concurrent.CompletableFuture.uniComposeStage(java.base@25.0.3/CompletableFuture.java:1187)
            \tat java.util.concurrent.CompletableFuture.thenCompose(java.base@25.0.3/CompletableFuture.java:2341)

            "worker" #31 [131] prio=5 os_prio=0 cpu=1.00ms elapsed=9.00s tid=0x5 nid=131 waiting for monitor entry  [0x6]
               java.lang.Thread.State: BLOCKED (on object monitor)
            \tat a.B.c(B.java:1)
            \t- waiting to lock <0x00000000c2> (a java.lang.Object)

            "mooseng-raft-rpc-3-2" #32 [132] daemon prio=10 os_prio=0 cpu=5.00ms elapsed=9.00s tid=0x7 nid=132 runnable  [0x8]
               java.lang.Thread.State: RUNNABLE
            \tat sun.nio.ch.EPoll.wait(java.base@25.0.3/Native Method)

            JNI global refs: 20, weak refs: 0
            """;

    @Test
    void keepsTheEventLoopsAndBlockedThreadsWithTheirTopFrames() {
        assertEquals("mooseng-raft-rpc-3-1 BLOCKED (on object monitor)"
                        + " at org.apache.ratis.server.impl.RaftServerImpl.appendEntriesAsync(RaftServerImpl.java:1652)"
                        + " [waiting to lock <0x00000000c1> (a org.apache.ratis.server.impl.RaftServerImpl)]"
                        + " < org.apache.ratis.server.impl.RaftServerImpl.appendEntriesAsync(RaftServerImpl.java:1571)"
                        + " < org.apache.ratis.server.impl.RaftServerProxy.lambda$appendEntriesAsync$0(RaftServerProxy.java:655)"
                        + " < java.util.concurrent.CompletableFuture.uniComposeStage(java.base@25.0.3/CompletableFuture.java:1187)"
                        + " | worker BLOCKED (on object monitor) at a.B.c(B.java:1) [waiting to lock <0x00000000c2> (a java.lang.Object)]"
                        + " | mooseng-raft-rpc-3-2 RUNNABLE at sun.nio.ch.EPoll.wait(java.base@25.0.3/Native Method)",
                ThreadDumps.summary(DUMP));
    }

    @Test
    void keepsRatisRoleAndLogThreadsWhateverTheirState() {
        String dump = """
                "m2@group-4F121B76E06B-FollowerState" #40 [140] daemon prio=5 os_prio=0 tid=0x9 nid=140 waiting on condition  [0xa]
                   java.lang.Thread.State: TIMED_WAITING (sleeping)
                \tat java.lang.Thread.sleep0(java.base@25.0.3/Native Method)
                \tat org.apache.ratis.util.TimeDuration.sleep(TimeDuration.java:262)

                "m2@group-4F121B76E06B-StateMachineUpdater" #41 [141] daemon prio=5 os_prio=0 tid=0xb nid=141 waiting on condition  [0xc]
                   java.lang.Thread.State: WAITING (parking)
                \tat jdk.internal.misc.Unsafe.park(java.base@25.0.3/Native Method)
                \t- parking to wait for  <0x00000000c3> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)
                """;
        assertEquals("m2@group-4F121B76E06B-FollowerState TIMED_WAITING (sleeping) at java.lang.Thread.sleep0(java.base@25.0.3/Native Method)"
                        + " < org.apache.ratis.util.TimeDuration.sleep(TimeDuration.java:262)"
                        + " | m2@group-4F121B76E06B-StateMachineUpdater WAITING (parking) at jdk.internal.misc.Unsafe.park(java.base@25.0.3/Native Method)"
                        + " [parking to wait for  <0x00000000c3> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)]",
                ThreadDumps.summary(dump));
    }

    @Test
    void saysSoWhenNothingMatches() {
        assertEquals("no Raft RPC or blocked threads in its dump", ThreadDumps.summary("\"main\" #1\n   java.lang.Thread.State: RUNNABLE\n"));
    }
}
