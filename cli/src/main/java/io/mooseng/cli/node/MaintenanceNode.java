package io.mooseng.cli.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.mooseng.chunkserver.transport.ChunkClientOptions;
import io.mooseng.core.maintenance.MaintenanceConfig;
import io.mooseng.core.maintenance.MaintenanceService;
import io.mooseng.core.memory.ByteBudget;
import io.mooseng.core.metadata.MetadataService;
import io.mooseng.core.model.StorageClass;
import io.mooseng.core.object.ObjectServiceConfig;
import io.vertx.core.Vertx;

import java.util.function.BooleanSupplier;

/**
 * The maintenance service of a master: its own data path (to rebuild, move and re-code
 * shards) and the service, which acts only while this master leads the group.
 */
public final class MaintenanceNode implements AutoCloseable {
    private final DataPath data;
    private final MaintenanceService service;

    private MaintenanceNode(DataPath data, MaintenanceService service) {
        this.data = data;
        this.service = service;
    }

    public static MaintenanceNode start(Vertx vertx, MetadataService metadata, MaintenanceConfig config, BooleanSupplier leading,
                                        String masterId, ByteBudget budget, MeterRegistry registry) {
        return start(vertx, metadata, config, leading, masterId, budget, registry, ChunkClientOptions.defaults());
    }

    /** @param chunkClients settings of its shard clients (with TLS: the master's certificate) */
    public static MaintenanceNode start(Vertx vertx, MetadataService metadata, MaintenanceConfig config, BooleanSupplier leading,
                                        String masterId, ByteBudget budget, MeterRegistry registry, ChunkClientOptions chunkClients) {
        // the default class is never used here: re-coding follows each bucket's policy; the registry
        // is read by each cycle, so starting never waits on (or fails with) a busy metadata group
        DataPath data = DataPath.create(vertx, metadata, ObjectServiceConfig.defaults(StorageClass.EC_4_2), budget, chunkClients);
        MaintenanceService service = new MaintenanceService(metadata, data.directory(), data.clients(), data.objects(), data.placement(), config,
                leading, masterId, System::currentTimeMillis).start();
        if (registry != null) {
            MaintenanceMetrics.bind(registry, service, leading);
        }
        return new MaintenanceNode(data, service);
    }

    public MaintenanceService service() {
        return service;
    }

    @Override
    public void close() {
        service.close();
        data.close();
    }
}
