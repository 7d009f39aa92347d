import { z } from "zod";
import type { FaultOptions, SimStats, ThrottlingOptions, WriteLogPage } from "../types";

const rate = z.number().min(0).max(1).optional();
const Faults = z.object({
  errorRate: rate,
  dropRate: rate,
  latencyMs: z.number().min(0).max(600000).optional(),
  hangRate: rate,
  hangBodyRate: rate,
  lostAnswerDropRate: rate,
  lostAnswerErrorRate: rate,
  lostInnerAnswerRate: rate,
  afterWriteShare: rate,
  maxFaults: z.number().int().min(0).optional(),
}).strict();

const After = z.coerce.number().int().min(0).default(0);

const SyncEdit = z.object({ id: z.string().min(1), properties: z.record(z.string(), z.unknown()) }).strict();

const Throttling = z.union([
  z.boolean(),
  z.object({ resourceUnitsPer10s: z.number().int().positive().optional(), writesPer150s: z.number().int().positive().optional() }).strict(),
]);

/** The controls `/_sim/` exposes, the same as the programmatic API. */
export interface Controls {
  stats(): SimStats;
  resetStats(): void;
  setFaults(f: FaultOptions): void;
  setThrottling(t: ThrottlingOptions): void;
  expireSkipTokens(): void;
  expireDeltaTokens(): void;
  /** What on-premises sync would do to a synced user or group (Graph refuses such edits from the cloud). */
  syncEdit(id: string, properties: Record<string, unknown>): void;
  /** The write log after a `seq`. */
  writeLog(after: number): WriteLogPage;
}

export interface ControlAnswer {
  status: number;
  body: string;
}

/**
 * `/_sim/...`: observe and steer a simulator running in another process (benchmarks, `npm start`).
 * Not part of Graph: needs no token and is never throttled or faulted.
 */
export function handleControl(method: string, path: string, query: URLSearchParams, body: unknown, c: Controls): ControlAnswer {
  const ok = (v: unknown = { ok: true }): ControlAnswer => ({ status: 200, body: JSON.stringify(v) });
  const bad = (msg: string): ControlAnswer => ({ status: 400, body: JSON.stringify({ error: msg }) });
  const route = `${method} ${path.replace(/\/+$/, "")}`;
  switch (route) {
    case "GET /_sim/stats":
      return ok(c.stats());
    case "GET /_sim/health": {
      const m = process.memoryUsage();
      const cpu = process.cpuUsage();
      return ok({ ok: true, pid: process.pid, rssBytes: m.rss, heapUsedBytes: m.heapUsed, cpuMs: Math.round((cpu.user + cpu.system) / 1000), uptimeMs: Math.round(process.uptime() * 1000) });
    }
    case "GET /_sim/write-log": {
      const after = After.safeParse(query.get("after") ?? undefined);
      if (!after.success) return bad("invalid after: expected a write-log seq (a whole number)");
      return ok(c.writeLog(after.data));
    }
    case "POST /_sim/reset-stats":
      c.resetStats();
      return ok();
    case "POST /_sim/faults": {
      const f = Faults.safeParse(body);
      if (!f.success) return bad(`invalid faults: ${f.error.message}`);
      try {
        c.setFaults(f.data);
      } catch (e) {
        return bad(e instanceof Error ? e.message : String(e));
      }
      return ok();
    }
    case "POST /_sim/throttling": {
      const t = Throttling.safeParse(body);
      if (!t.success) return bad(`invalid throttling: ${t.error.message}`);
      c.setThrottling(t.data);
      return ok();
    }
    case "POST /_sim/expire-skip-tokens":
      c.expireSkipTokens();
      return ok();
    case "POST /_sim/expire-delta-tokens":
      c.expireDeltaTokens();
      return ok();
    case "POST /_sim/sync": {
      const e = SyncEdit.safeParse(body);
      if (!e.success) return bad(`invalid sync edit: ${e.error.message}`);
      try {
        c.syncEdit(e.data.id, e.data.properties);
      } catch (err) {
        return bad(err instanceof Error ? err.message : String(err));
      }
      return ok();
    }
    default:
      return { status: 404, body: JSON.stringify({ error: `unknown control ${route}` }) };
  }
}
