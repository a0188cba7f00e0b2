package io.mooseng.core.maintenance;

import io.mooseng.core.chunk.ChunkClients;
import io.mooseng.core.chunk.ChunkserverDirectory;
import io.mooseng.core.metadata.DirectoryLeases;
import io.mooseng.core.metadata.MetadataService;
import io.mooseng.core.model.BlockId;
import io.mooseng.core.model.BlockRef;
import io.mooseng.core.model.ChunkserverInfo;
import io.mooseng.core.model.DamagedBlock;
import io.mooseng.core.model.MaintenanceReport;
import io.mooseng.core.model.QueuedShards;
import io.mooseng.core.object.ObjectService;
import io.mooseng.core.placement.PlacementPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The self-healing loop of the cluster, run by whichever master leads the metadata group.
 * Every second it finds lost chunkservers (queuing their shards from the node index) and
 * repairs queued blocks, most endangered first. Each cycle, when one is due, takes a census
 * (each live chunkserver's inventory merged with its node index), repairs what it finds
 * missing and deletes garbage shards; then it rebalances when nothing is damaged, re-codes objects whose class changed (and those a lifecycle transition moves), expires
 * the trash, and publishes a {@link MaintenanceReport} through metadata. The lifecycle pass
 * (expirations, upload aborts) runs on a thread of its own at the same interval, so that its
 * rate bound never delays repairs.
 *
 * <p>Threading: cycles run on one thread of their own (blocking calls are fine there);
 * rebuilds run on a pool of {@code repairConcurrency} threads. State such as liveness and
 * garbage candidates lives only in the leader's memory and starts over with each leadership.
 */
public final class MaintenanceService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceService.class);
    private static final long QUEUE_INTERVAL_MILLIS = 1_000;
    private static final int QUEUE_BATCH = 256;
    /** Queued blocks repaired per step at most (so a cycle is not kept waiting long). */
    private static final int QUEUE_BATCHES_PER_STEP = 16;
    /** A lost chunkserver's shards queued per query, and queries per step at most. */
    private static final int LOST_PAGE = 4096;
    private static final int LOST_PAGES_PER_STEP = 32;

    private final MetadataService metadata;
    private final ChunkserverDirectory directory;
    private final ChunkClients clients;
    private final MaintenanceConfig config;
    private final BooleanSupplier leading;
    private final String reporter;
    private final LongSupplier clock;
    private final Liveness liveness;
    private final Repairer repairer;
    private final GarbageCollector gc;
    private final Rebalancer rebalancer;
    private final ClassConverter converter;
    private final TrashExpirer trash;
    private final LifecycleRunner lifecycle;
    private final ScheduledExecutorService cycles;
    private final ScheduledExecutorService lifecyclePasses;
    private final ScheduledExecutorService leases;
    private final ExecutorService repairs;
    private final AtomicReference<MaintenanceReport> latest = new AtomicReference<>();
    private volatile ChunkserverFleet fleet = ChunkserverFleet.NONE;
    private final Object cycleLock = new Object();
    private boolean wasLeading;
    /** Chunkservers last found lost (the queue's repairs place nothing on them). */
    private Set<String> lost = Set.of();
    /** How far each lost chunkserver's shards are queued for repair; a census starts them over. */
    private final Map<String, QueuedShards> lostQueued = new HashMap<>();
    /** When this leadership's last census ran; none yet: the next cycle takes one. */
    private long lastCensusMillis;
    private boolean censusTaken;
    /** Margins (further losses survived; negative: unreadable) of the blocks the last census's repairs left damaged. */
    private final Map<BlockId, Integer> censusLeft = new HashMap<>();
    /** The same for queued blocks whose repair left them damaged since the last report (the next cycle queues them again). */
    private final Map<BlockId, Integer> queueLeft = new HashMap<>();
    private long repairedShards;
    private long repairedBytes;
    private long recoded;
    private long moved;
    private long orphansDeleted;
    private long trashPurged;
    private long transitioned;

    /**
     * @param directory the registry {@code clients} resolve addresses from; refreshed at the start of each cycle
     *                  so that chunkservers added since are reachable
     */
    public MaintenanceService(MetadataService metadata, ChunkserverDirectory directory, ChunkClients clients, ObjectService objects,
                              PlacementPolicy placement, MaintenanceConfig config, BooleanSupplier leading, String reporter,
                              LongSupplier clock) {
        this.metadata = metadata;
        this.directory = directory;
        this.clients = clients;
        this.config = config;
        this.leading = leading;
        this.reporter = reporter;
        this.clock = clock;
        RateLimiter rate = new RateLimiter(config.repairBytesPerSecond());
        this.liveness = new Liveness(config.chunkserverTimeoutMillis());
        this.repairer = new Repairer(metadata, clients, placement, rate);
        this.gc = new GarbageCollector(clients, config.gcGraceMillis());
        this.rebalancer = new Rebalancer(metadata, clients, config, rate);
        this.converter = new ClassConverter(metadata, objects, config.lifecycleDayMillis());
        this.trash = new TrashExpirer(metadata, objects, config.trashRetentionMillis());
        this.lifecycle = new LifecycleRunner(metadata, objects, config.lifecycleObjectsPerSecond(), config.lifecycleDayMillis(), leading);
        this.lifecyclePasses = Executors.newSingleThreadScheduledExecutor(daemon("mooseng-lifecycle"));
        this.cycles = Executors.newSingleThreadScheduledExecutor(daemon("mooseng-maintenance"));
        // a thread of its own: a long cycle must not keep others out of a dead mount's directories
        this.leases = Executors.newSingleThreadScheduledExecutor(daemon("mooseng-lease-expiry"));
        AtomicInteger n = new AtomicInteger();
        this.repairs = Executors.newFixedThreadPool(config.repairConcurrency(), r -> daemon("mooseng-repair-" + n.incrementAndGet()).newThread(r));
    }

    /**
     * Runs a cycle every interval, and every second repairs the blocks readers report damaged
     * and takes the leases of silent holders, on the leader only, until closed.
     */
    public MaintenanceService start() {
        cycles.scheduleWithFixedDelay(this::scheduledCycle, config.intervalMillis(), config.intervalMillis(), TimeUnit.MILLISECONDS);
        cycles.scheduleWithFixedDelay(this::scheduledQueueRepair, QUEUE_INTERVAL_MILLIS, QUEUE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        leases.scheduleWithFixedDelay(this::scheduledLeaseExpiry, QUEUE_INTERVAL_MILLIS, QUEUE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        lifecyclePasses.scheduleWithFixedDelay(this::scheduledLifecyclePass, config.intervalMillis(), config.intervalMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    private void scheduledLifecyclePass() {
        try {
            if (leading.getAsBoolean()) {
                lifecycle.run(clock);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("lifecycle pass failed, run again next interval: cause={}", e.toString());
        }
    }

    private void scheduledLeaseExpiry() {
        try {
            if (leading.getAsBoolean()) {
                expireSilentLeases();
            }
        } catch (RuntimeException e) {
            LOG.warn("taking the leases of silent holders failed, retrying next interval: cause={}", e.toString());
        }
    }

    /**
     * Takes the directory leases of holders the leader has not heard from for a lease's time
     * (a mount that died or is cut off), so others can work in those directories again.
     *
     * @return the holders whose leases were taken
     */
    public List<UUID> expireSilentLeases() {
        List<UUID> silent = metadata.silentLeaseHolders().join();
        for (UUID holder : silent) {
            metadata.expireLeases(holder).join();
            LOG.warn("took the directory leases of a silent holder: holder={} silentForMoreThanMillis={}", holder,
                    DirectoryLeases.TTL.toMillis());
        }
        return silent;
    }

    private void scheduledQueueRepair() {
        try {
            if (leadingNow()) {
                queueLostChunkservers();
                repairReported();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("repair of reported blocks failed, retrying next interval: cause={}", e.toString());
        }
    }

    /**
     * Finds the chunkservers whose heartbeat stopped for the timeout and queues their shards
     * for repair from their node index, at once and without a census: a bounded number of
     * pages per call, going on where the last call stopped (and waiting while the queue is
     * full). Called every second while leading.
     *
     * @return the chunkservers found lost
     */
    public Set<String> queueLostChunkservers() {
        synchronized (cycleLock) {
            return queueLost(metadata.listChunkservers().join(), clock.getAsLong());
        }
    }

    private Set<String> queueLost(List<ChunkserverInfo> registered, long now) {
        Set<String> found = liveness.update(registered, now);
        lost = found;
        lostQueued.keySet().retainAll(found);
        for (String node : found) {
            QueuedShards progress = lostQueued.getOrDefault(node, new QueuedShards(null, 0, false));
            int queued = progress.queued();
            for (int page = 0; page < LOST_PAGES_PER_STEP && !progress.done(); page++) {
                QueuedShards step = metadata.queueShardsOfNode(node, progress.after(), LOST_PAGE).join();
                queued += step.queued();
                progress = new QueuedShards(step.after(), queued, step.done());
                if (step.done()) {
                    LOG.warn("lost chunkserver: its blocks are queued for repair: node={} blocks={}", node, queued);
                } else if (step.queued() < LOST_PAGE) {
                    break; // the queue is full: go on once repairs have taken from it
                }
            }
            lostQueued.put(node, progress);
        }
        return found;
    }

    /**
     * Repairs queued blocks (reported by readers and chunkservers, or on a lost chunkserver),
     * most endangered first, without waiting for a census; @return shards rebuilt.
     */
    public long repairReported() throws InterruptedException {
        synchronized (cycleLock) {
            long shards = 0;
            for (int batch = 0; batch < QUEUE_BATCHES_PER_STEP; batch++) {
                List<DamagedBlock> reported = metadata.takeDamagedBlocks(QUEUE_BATCH).join();
                if (reported.isEmpty()) {
                    break;
                }
                ClusterView view = ClusterView.of(metadata.listChunkservers().join(), lost);
                List<ShardCensus.Damaged> damaged = new ArrayList<>();
                reported.forEach(d -> damaged.add(new ShardCensus.Damaged(d.block(), d.shards())));
                List<Repairer.Outcome> outcomes = repair(damaged, view);
                tally(damaged, outcomes, queueLeft);
                long rebuilt = outcomes.stream().mapToLong(Repairer.Outcome::rebuiltShards).sum();
                shards += rebuilt;
                repairedShards += rebuilt;
                repairedBytes += outcomes.stream().mapToLong(Repairer.Outcome::rebuiltBytes).sum();
                LOG.info("repaired queued blocks: blocks={} shards={}", reported.size(), rebuilt);
                if (reported.size() < QUEUE_BATCH) {
                    break;
                }
            }
            return shards;
        }
    }

    /** The report of the last cycle this master ran, or null. */
    public MaintenanceReport latest() {
        return latest.get();
    }

    /** The chunkservers as the last cycle this master ran counted them. */
    public ChunkserverFleet fleet() {
        return fleet;
    }

    private void scheduledCycle() {
        try {
            if (!leadingNow()) {
                return;
            }
            runCycle(!censusTaken || clock.getAsLong() - lastCensusMillis >= config.censusIntervalMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("maintenance cycle failed, retrying next interval: cause={}", e.toString());
        }
    }

    /** Whether this master leads; starts or resets the leader's state on a change (scheduler thread only). */
    private boolean leadingNow() {
        if (!leading.getAsBoolean()) {
            if (wasLeading) {
                LOG.info("maintenance paused: this master no longer leads");
                reset();
            }
            return false;
        }
        if (!wasLeading) {
            LOG.info("maintenance started: master={}", reporter);
            wasLeading = true;
        }
        return true;
    }

    private void reset() {
        synchronized (cycleLock) {
            wasLeading = false;
            lost = Set.of();
            lostQueued.clear();
            censusLeft.clear();
            queueLeft.clear();
            censusTaken = false;
            liveness.reset();
            gc.reset();
            converter.reset();
        }
    }

    /** One full cycle now, census included, on the caller's thread (tests). */
    public MaintenanceReport runCycle() throws InterruptedException {
        return runCycle(true);
    }

    private MaintenanceReport runCycle(boolean census) throws InterruptedException {
        synchronized (cycleLock) {
            long now = clock.getAsLong();
            List<ChunkserverInfo> registered = metadata.listChunkservers().join();
            directory.refresh().join();
            if (census || !queueLeft.isEmpty()) {
                // queued again from their index: blocks whose repair failed (no target then) or fell out of a full queue
                lostQueued.clear();
            }
            queueLeft.clear();
            Set<String> lost = queueLost(registered, now);
            ClusterView view = ClusterView.of(registered, lost);
            fleet = view.fleet();
            rebalancer.forgetRemoved(view);
            double mibPerSecond = 0;
            if (census) {
                mibPerSecond = census(view, now);
            }
            repairReported();
            Map<BlockId, Integer> left = new HashMap<>(censusLeft);
            left.putAll(queueLeft);
            queueLeft.clear();
            long underReplicated = left.values().stream().filter(m -> m > 0).count();
            long endangered = left.values().stream().filter(m -> m == 0).count();
            long lostBlocks = left.values().stream().filter(m -> m < 0).count();
            if (left.isEmpty() && lost.isEmpty()) {
                moved += rebalancer.rebalance(view);
            }
            ClassConverter.Pass pass = converter.run(config.recodesPerCycle(), now);
            recoded += pass.converted();
            transitioned += pass.transitioned();
            trashPurged += trash.expire(now);
            MaintenanceReport report = new MaintenanceReport(clock.getAsLong(), reporter, metadata.countBlocks().join(), underReplicated,
                    endangered, lostBlocks, repairedShards, repairedBytes, mibPerSecond, pass.pending(),
                    recoded, moved, orphansDeleted, trashPurged, String.join(",", lost), lifecycle.lastPassMillis(), lifecycle.expired(),
                    transitioned, lifecycle.aborted());
            latest.set(report);
            metadata.reportMaintenance(report).join();
            return report;
        }
    }

    /**
     * Lists every live chunkserver against its node index, repairs what is missing and collects
     * garbage;
     * @return the repair rate in MiB/s
     */
    private double census(ClusterView view, long now) throws InterruptedException {
        long started = System.nanoTime();
        ShardCensus census = ShardCensus.take(metadata, clients, view.liveIds());
        long listed = System.nanoTime();
        List<ShardCensus.Damaged> damaged = census.damaged();
        List<Repairer.Outcome> outcomes = repair(damaged, view);
        double seconds = Math.max(1e-3, (System.nanoTime() - listed) / 1e9);
        long bytes = outcomes.stream().mapToLong(Repairer.Outcome::rebuiltBytes).sum();
        censusLeft.clear();
        tally(damaged, outcomes, censusLeft);
        repairedShards += outcomes.stream().mapToLong(Repairer.Outcome::rebuiltShards).sum();
        repairedBytes += bytes;
        orphansDeleted += gc.collect(census.unreferenced, now);
        censusTaken = true;
        lastCensusMillis = now;
        LOG.info("census: chunkservers={} listedShards={} indexedShards={} damagedBlocks={} unreferencedShards={} tookMillis={}",
                census.storedBytes.size(), census.listedShards(), census.indexedShards(), damaged.size(), census.unreferencedShards(),
                (listed - started) / 1_000_000);
        return bytes / 1048576.0 / seconds;
    }

    /** Records the blocks that repairs left damaged, with their margin (parity shards minus shards still missing). */
    private static void tally(List<ShardCensus.Damaged> damaged, List<Repairer.Outcome> outcomes, Map<BlockId, Integer> left) {
        for (int i = 0; i < outcomes.size(); i++) {
            int stillMissing = outcomes.get(i).stillMissing();
            if (stillMissing > 0) {
                BlockRef b = damaged.get(i).block();
                left.put(b.id(), b.storageClass().parityShards() - stillMissing);
            }
        }
    }

    /**
     * Repairs every damaged block, the fewest surviving shards first (sorting the list), then
     * records them all at once, so the records share Raft entries; outcomes in that order.
     */
    private List<Repairer.Outcome> repair(List<ShardCensus.Damaged> damaged, ClusterView view) throws InterruptedException {
        damaged.sort(Comparator.comparingInt(ShardCensus.Damaged::margin));
        List<Future<Repairer.Rebuilt>> running = new ArrayList<>();
        for (ShardCensus.Damaged d : damaged) {
            running.add(repairs.submit(() -> repairer.rebuild(d, view)));
        }
        List<Repairer.Rebuilt> rebuilt = new ArrayList<>(running.size());
        for (int i = 0; i < running.size(); i++) {
            try {
                rebuilt.add(running.get(i).get());
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warn("block repair failed: block={} cause={}", damaged.get(i).block().id(), e.getCause().toString());
                rebuilt.add(Repairer.Rebuilt.nothing(damaged.get(i).block(), damaged.get(i).missing().size()));
            }
        }
        // submitted together, the records queue behind the client's few writes in flight and coalesce
        List<CompletableFuture<Repairer.Outcome>> recorded = rebuilt.stream().map(repairer::record).toList();
        return recorded.stream().map(CompletableFuture::join).toList();
    }

    @Override
    public void close() {
        cycles.shutdownNow();
        leases.shutdownNow();
        repairs.shutdownNow();
        lifecyclePasses.shutdownNow();
        try {
            cycles.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
