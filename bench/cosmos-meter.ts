/**
 * Counts what a Cosmos client sends, from the SDK's own request pipeline (its `plugins` option, on every
 * network request, retries included): HTTP requests by container and operation, the `x-ms-request-charge`
 * header summed, and for bulk (batch) requests the operations inside them with each one's `requestCharge`
 * from the response body. Nothing in core/ is changed or wrapped: the store under test runs as production
 * runs it, on a client that carries this plugin.
 */
import https from "node:https";
import { CosmosClient, type CosmosClientOptions, type PluginConfig } from "@azure/cosmos";
import { openContainers, type CosmosContainers } from "../core/store/cosmos/cosmos-containers";

/** The emulator's well-known key (public; the test server accepts any). */
export const EMULATOR_KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

/** Tallies of one (container, operation) pair, or of everything. */
export interface MeterTally {
  /** HTTP requests sent (a bulk request of 100 operations is one). */
  requests: number;
  /** Sum of the `x-ms-request-charge` response header (RU on real Cosmos). */
  headerCharge: number;
  /** Requests whose response carried no `x-ms-request-charge` header. */
  noChargeHeader: number;
  /** Operations inside bulk requests, as answered one by one in the response body. */
  bulkOperations: number;
  /** Sum of those operations' `requestCharge`. */
  bulkOperationCharge: number;
  /** Bulk operations answered 2xx. */
  bulkSucceeded: number;
  /** Requests (or bulk operations) answered 429. */
  throttled: number;
  /** Requests answered with an error status (404 of a point read included). */
  errors: number;
  /** Point writes (create, upsert, replace, delete, patch of one document) answered 2xx. */
  pointWrites: number;
  /** Milliseconds from sending to answer, summed over requests (requests in flight together overlap). */
  ms: number;
}

const emptyTally = (): MeterTally => ({
  requests: 0,
  headerCharge: 0,
  noChargeHeader: 0,
  bulkOperations: 0,
  bulkOperationCharge: 0,
  bulkSucceeded: 0,
  throttled: 0,
  errors: 0,
  pointWrites: 0,
  ms: 0,
});

const POINT_WRITES = new Set(["create", "upsert", "replace", "delete", "patch"]);

function add(into: MeterTally, from: MeterTally): void {
  for (const k of Object.keys(into) as Array<keyof MeterTally>) into[k] += from[k];
}

/** Per (container/operation) key, e.g. `backupChunks/batch`, `jobItems/query`. */
export type MeterSnapshot = Record<string, MeterTally>;

export class CosmosMeter {
  private readonly byKey = new Map<string, MeterTally>();

  /** The plugin to give the CosmosClient. */
  readonly plugin: PluginConfig = {
    on: "request",
    plugin: async (context, _diagnostics, next) => {
      const container = /\/colls\/([^/]+)/.exec(context.path ?? "")?.[1] ?? context.resourceType ?? "?";
      const tally = this.tally(`${container}/${context.operationType ?? "?"}`);
      tally.requests++;
      const started = performance.now();
      try {
        const response = await next(context);
        this.charge(tally, response.headers as Record<string, unknown> | undefined);
        if (context.operationType === "batch" && Array.isArray(response.result)) {
          for (const op of response.result as Array<{ statusCode?: number; requestCharge?: number }>) {
            tally.bulkOperations++;
            tally.bulkOperationCharge += typeof op.requestCharge === "number" ? op.requestCharge : 0;
            if (typeof op.statusCode === "number" && op.statusCode >= 200 && op.statusCode < 300) tally.bulkSucceeded++;
            if (op.statusCode === 429) tally.throttled++;
          }
        } else if (POINT_WRITES.has(String(context.operationType)) && context.resourceType === "docs") {
          tally.pointWrites++;
        }
        tally.ms += performance.now() - started;
        return response;
      } catch (err) {
        tally.ms += performance.now() - started;
        const e = err as { code?: unknown; headers?: Record<string, unknown> };
        tally.errors++;
        if (e.code === 429) tally.throttled++;
        this.charge(tally, e.headers);
        throw err;
      }
    },
  };

  /** A copy of the tallies so far. */
  snapshot(): MeterSnapshot {
    return Object.fromEntries([...this.byKey].map(([k, t]) => [k, { ...t }]));
  }

  /** What happened between two snapshots (`before` earlier), keys with no requests left out. */
  static since(before: MeterSnapshot, after: MeterSnapshot): MeterSnapshot {
    const out: MeterSnapshot = {};
    for (const [k, t] of Object.entries(after)) {
      const b = before[k] ?? emptyTally();
      const d = emptyTally();
      for (const f of Object.keys(d) as Array<keyof MeterTally>) d[f] = t[f] - b[f];
      d.ms = Math.round(d.ms);
      if (d.requests > 0) out[k] = d;
    }
    return out;
  }

  /** Everything in a snapshot summed. */
  static total(s: MeterSnapshot): MeterTally {
    const t = emptyTally();
    for (const v of Object.values(s)) add(t, v);
    t.headerCharge = Math.round(t.headerCharge * 100) / 100;
    t.bulkOperationCharge = Math.round(t.bulkOperationCharge * 100) / 100;
    t.ms = Math.round(t.ms);
    return t;
  }

  private tally(key: string): MeterTally {
    let t = this.byKey.get(key);
    if (t === undefined) this.byKey.set(key, (t = emptyTally()));
    return t;
  }

  private charge(tally: MeterTally, headers: Record<string, unknown> | undefined): void {
    const raw = headers?.["x-ms-request-charge"];
    const n = typeof raw === "string" || typeof raw === "number" ? Number(raw) : Number.NaN;
    if (Number.isFinite(n)) tally.headerCharge += n;
    else tally.noChargeHeader++;
  }
}

/** A metered client on the test server, with Rewind's containers in `databaseId` (created when missing). */
export async function openMeteredCosmos(endpoint: string, databaseId: string): Promise<{ containers: CosmosContainers; meter: CosmosMeter; close(): void }> {
  const meter = new CosmosMeter();
  // The server's bundled certificate is self-signed and expired: only this benchmark client skips verification.
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  // `plugins` is a documented-as-hidden option of the SDK (PluginConfig is exported); hence the widening.
  const options: CosmosClientOptions & { plugins: PluginConfig[] } = { endpoint, key: EMULATOR_KEY, agent, plugins: [meter.plugin] };
  const client = new CosmosClient(options);
  const { containers } = await openContainers(client, databaseId);
  return {
    containers,
    meter,
    close: () => {
      client.dispose();
      agent.destroy();
    },
  };
}
