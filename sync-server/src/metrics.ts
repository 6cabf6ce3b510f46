/**
 * Prometheus metrics. Hot-path counts are plain numbers in {@link ServerStats}, read by
 * prom-client only when /metrics is scraped, so relaying an update costs no label hashing.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Counts the server bumps as it works; read by the metrics registry on scrape. */
export class ServerStats {
  connections = 0;
  loadedDocuments = 0;
  messagesIn = 0;
  messagesOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  compactions = 0;
  storageErrors = 0;
  /** Rejected messages and connections by reason (read-only write, rate limit, bad awareness, ...). */
  readonly rejected = new Map<string, number>();
  /** Closed connections by close-code name. */
  readonly closes = new Map<string, number>();
  /** Versions kept, by kind (auto, named, before-restore). */
  readonly versionsSaved = new Map<string, number>();
  /** Versions restored. */
  restores = 0;

  reject(reason: string): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  closed(name: string): void {
    this.closes.set(name, (this.closes.get(name) ?? 0) + 1);
  }

  versionSaved(kind: string): void {
    this.versionsSaved.set(kind, (this.versionsSaved.get(kind) ?? 0) + 1);
  }
}

export interface ServerMetrics {
  registry: Registry;
  stats: ServerStats;
  storageWriteSeconds: Histogram;
  /** Round trips to Redis by operation (cluster mode). */
  redisSeconds: Histogram<'operation'>;
}

/** One registry per server (no globals), so tests can run many servers in one process. */
export function createMetrics(stats = new ServerStats()): ServerMetrics {
  const registry = new Registry();
  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
  };
  const counter = (name: string, help: string, read: () => number): void => {
    new Counter({ name, help, registers: [registry], collect() { this.reset(); this.inc(read()); } });
  };
  const labelledCounter = (name: string, help: string, label: string, read: () => Map<string, number>): void => {
    new Counter({
      name, help, labelNames: [label], registers: [registry],
      collect() {
        this.reset();
        for (const [value, count] of read()) this.inc({ [label]: value }, count);
      },
    });
  };

  gauge('tandem_connections', 'Open WebSocket connections', () => stats.connections);
  gauge('tandem_loaded_documents', 'Documents held in memory', () => stats.loadedDocuments);
  counter('tandem_messages_in_total', 'WebSocket messages received', () => stats.messagesIn);
  counter('tandem_messages_out_total', 'WebSocket messages sent', () => stats.messagesOut);
  counter('tandem_bytes_in_total', 'Bytes received in WebSocket messages', () => stats.bytesIn);
  counter('tandem_bytes_out_total', 'Bytes sent in WebSocket messages', () => stats.bytesOut);
  counter('tandem_compactions_total', 'Document log compactions', () => stats.compactions);
  counter('tandem_storage_errors_total', 'Failed storage reads and writes', () => stats.storageErrors);
  labelledCounter('tandem_rejected_total', 'Messages or connections refused, by reason', 'reason', () => stats.rejected);
  labelledCounter('tandem_connections_closed_total', 'Connections closed by the server, by close code', 'code', () => stats.closes);
  labelledCounter('tandem_versions_saved_total', 'Versions (checkpoints) kept, by kind', 'kind', () => stats.versionsSaved);
  counter('tandem_restores_total', 'Versions restored', () => stats.restores);
  const storageWriteSeconds = new Histogram({
    name: 'tandem_storage_write_seconds',
    help: 'Latency of storage write batches',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const redisSeconds = new Histogram({
    name: 'tandem_redis_seconds',
    help: 'Round-trip time of Redis operations in cluster mode, by operation (append, load, compact, records, list, purge)',
    labelNames: ['operation'],
    buckets: [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  return { registry, stats, storageWriteSeconds, redisSeconds };
}

/** Name this server instance in its metrics (cluster mode: each instance is scraped on its own). */
export function labelInstance(metrics: ServerMetrics, instanceId: string): void {
  new Gauge({ name: 'tandem_instance_info', help: 'This server instance (cluster mode); always 1', labelNames: ['instance'], registers: [metrics.registry] }).set({ instance: instanceId }, 1);
}
