package io.mooseng.core.metadata;

import io.mooseng.core.model.MaintenanceReport;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The maintenance service's latest report, shared with every process.
 * Non-blocking and linearizable: see {@link MetadataService} for the contract.
 */
public interface MaintenanceReports {
    /** Publishes the maintenance service's latest report. */
    CompletableFuture<Void> reportMaintenance(MaintenanceReport report);

    CompletableFuture<Optional<MaintenanceReport>> maintenance();
}
