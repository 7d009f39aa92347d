import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateCertificates } from "./cert";
import { TenantDirectory } from "./tenant/tenant-directory";
import { PRESETS } from "./tenant/presets";
import { TokenIssuer } from "./http/tokens";
import { Throttle } from "./http/throttle";
import { FaultInjector } from "./http/faults";
import { StatsCounter } from "./http/stats";
import { WriteLog } from "./http/write-log";
import { Router, type Env } from "./http/router";
import { ProjectionCache } from "./http/projection";
import { LruCache } from "./http/lru";
import { PagePrefetcher } from "./http/prefetch";
import { Pipeline } from "./http/pipeline";
import type { SimResponse } from "./http/request";
import { runBatch } from "./http/batch";
import { SimServer } from "./http/server";
import { allRoutes } from "./http/routes/index";
import { DELTA_MEMBER_BUDGET } from "./http/routes/delta";
import { silentLogger } from "./logger";
import type { JsonObject } from "./tenant/json";
import type { RunningSimulator, SimulatorOptions, TenantSpec } from "./types";
import { defaultObserver } from "./observer";

export { setDefaultObserver } from "./observer";
export type { FaultOptions, RunningSimulator, SimExchange, SimObserver, SimStats, SimulatorOptions, TenantSpec, ThrottlingOptions, WriteLogEntry, WriteLogPage } from "./types";
export { PRESETS, DEMO_TENANT_ID } from "./tenant/presets";
export { DEMO_PEOPLE, DEMO_DOMAIN } from "./tenant/demo";
export { GLOBAL_ADMIN_TEMPLATE, BACKUP_ADMIN_TEMPLATE, BACKUP_READER_TEMPLATE } from "./tenant/roles";

const HOUR = 3600000;

/** The spec for a tenant option, and whether it is the demo tenant (with the fixed people). */
export function resolveTenant(t: SimulatorOptions["tenant"]): { spec: TenantSpec; demo: boolean } {
  if (t === undefined || t === "demo") return { spec: PRESETS.demo, demo: true };
  if (t === "small" || t === "large") return { spec: PRESETS[t], demo: false };
  return { spec: t, demo: false };
}

/** Applies an edit as on-premises sync would: only to a live synced user or group. */
function syncEdit(dir: TenantDirectory, id: string, properties: Record<string, unknown>): void {
  const t = dir.resolve(id);
  if (!t || (t.kind !== "user" && t.kind !== "group") || dir.state(t.kind, t.index) !== "live") throw new Error(`no live user or group ${id}`);
  if (dir.raw(t.kind, t.index)?.["onPremisesSyncEnabled"] !== true) throw new Error(`${id} is not synchronized from on-premises`);
  dir.patch(t.kind, t.index, properties as JsonObject);
}

/**
 * Starts a Microsoft Graph v1.0 tenant simulator over HTTPS on 127.0.0.1. The tenant is generated on
 * demand from its seed; only mutations are kept in memory.
 */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const logger = opts.logger ?? silentLogger();
  const { spec, demo } = resolveTenant(opts.tenant);
  const timeScale = opts.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error("timeScale must be a positive number");
  const now = (): number => Date.now();
  const dir = new TenantDirectory(spec, demo, now);
  const tokens = new TokenIssuer(opts.skipTokenTtlMs ?? HOUR, now);
  const throttle = new Throttle(spec.users, timeScale, `Tenant_Application/ReadWrite/00000000-0000-0000-0000-000000000000/${dir.tenant.tenantId}`, now);
  throttle.configure(opts.throttling ?? true);
  const faults = new FaultInjector(spec.seed ^ 0x5eed, opts.faults ?? {});
  const stats = new StatsCounter();
  const writeLog = new WriteLog(opts.writeLogLimit);
  const prefetch = new PagePrefetcher(() => `${dir.version}:${tokens.skipEpoch}`);
  const deltaMembersPerPage = opts.deltaMembersPerPage ?? DELTA_MEMBER_BUDGET;
  if (!Number.isInteger(deltaMembersPerPage) || deltaMembersPerPage < 1) throw new Error("deltaMembersPerPage must be a positive integer");
  const env: Env = { dir, tokens, now, projections: new ProjectionCache(), deltaChanges: new LruCache(8), prefetch, deltaMembersPerPage };
  const router = new Router(allRoutes());
  const pipeline: Pipeline = new Pipeline({ router, env, throttle, faults, stats, writeLog, logger, batch: (req): SimResponse => runBatch(req, pipeline), observe: opts.observer ?? defaultObserver(), ...(opts.acceptsToken ? { acceptsToken: opts.acceptsToken } : {}) });

  const certs = await generateCertificates();
  const certDir = opts.certDir ?? mkdtempSync(path.join(tmpdir(), "graph-sim-"));
  mkdirSync(certDir, { recursive: true });
  const caFile = path.join(certDir, "ca.pem");
  writeFileSync(caFile, certs.caCert);

  const controls = {
    stats: () => stats.snapshot(),
    resetStats: () => {
      stats.reset();
      writeLog.reset();
    },
    setFaults: (f: Parameters<FaultInjector["set"]>[0]) => faults.set(f),
    setThrottling: (t: Parameters<Throttle["configure"]>[0]) => throttle.configure(t),
    expireSkipTokens: () => tokens.expireSkipTokens(),
    expireDeltaTokens: () => tokens.expireDeltaTokens(),
    syncEdit: (id: string, properties: Record<string, unknown>) => syncEdit(dir, id, properties),
    writeLog: (after = 0) => writeLog.page(after),
  };
  const server = new SimServer({ key: certs.serverKey, cert: certs.serverCert, pipeline, controls, faults, stats, logger });
  const port = await server.listen(opts.port ?? 0);
  const url = `https://127.0.0.1:${port}`;
  logger.info({ url, tenantId: dir.tenant.tenantId, caFile }, "Graph simulator listening");
  return {
    url,
    caFile,
    ca: certs.caCert,
    tenantId: dir.tenant.tenantId,
    ...controls,
    // A temporary CA folder goes with the simulator (a given certDir is the caller's to keep).
    close: async () => {
      await server.close();
      if (!opts.certDir) rmSync(certDir, { recursive: true, force: true });
    },
  };
}
