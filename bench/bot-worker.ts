/**
 * The bot benchmark's worker: one process holds the real app (startRewindApp: SQLite store, engine, bot over
 * restify in local mode), the recording Bot Connector and the client, so every time is one clock's. It fills
 * the store (bench/bot-setup.ts), times every command and click that starts no job, then the first call of
 * a freshly started app, and calls with the role cache off.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { TeamsClient, type BenchPerson } from "./bot-client";
import { coldFigures, measureProbes, sendProbe, type ColdFigures } from "./bot-measure";
import { botProbes, extraProbes, type Probe, type ProbeIds } from "./bot-probes";
import { ReplyRecorder } from "./bot-recorder";
import { prepareStore, type SetupFigures } from "./bot-setup";
import type { LatencyFigures } from "./bot-stats";
import { benchAdmin, openGraph, startBenchApp } from "./bot-world";
import { CHANGES_PER_PAGE } from "../bot/views";
import { round2, runWorker } from "./engine-world";
import { LoopBlock } from "./loop-block";
import { lifetimePeakRssMiB } from "./peak-rss";
import type { SimConnection } from "./sim-control";

export interface BotWorkerArgs {
  readonly conn: SimConnection;
  readonly driftObjects: number;
  readonly iterations: number;
  readonly warmup: number;
  readonly uncachedIterations: number;
}

export interface BotWorkerFigures {
  readonly setup: SetupFigures;
  readonly store: { fileBytes: number; backupStorageBytes: number; reportChanges: number; changePages: number };
  readonly ids: ProbeIds;
  readonly warm: LatencyFigures[];
  readonly extra: LatencyFigures[];
  readonly timedSeconds: number;
  readonly maxLoopBlockMs: number;
  readonly cold: ColdFigures[];
  readonly uncachedRoles: LatencyFigures[];
  readonly lifetimePeakRssMiB: number;
  readonly stray: { unexpectedReplies: number; otherSends: number };
}

const fileBytes = (dir: string): number => readdirSync(dir).reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);

/** A fresh app on the same store: its start-up, then the probe twice (the first reads roles from Graph). */
async function coldCall(args: BotWorkerArgs, storeFile: string, recorder: ReplyRecorder, who: BenchPerson, probe: Probe): Promise<ColdFigures> {
  const b = await startBenchApp(args.conn, storeFile);
  const client = new TeamsClient(b.botUrl, recorder, args.conn.tenantId, who);
  try {
    const first = await sendProbe(client, probe);
    const second = await sendProbe(client, probe);
    return coldFigures(probe.name, b.startMs, first, second);
  } finally {
    await client.close();
    await b.stop();
  }
}

/** Setup and the timed rounds, on one app. */
async function warmPart(args: BotWorkerArgs, storeFile: string, dir: string, recorder: ReplyRecorder, who: BenchPerson) {
  const b = await startBenchApp(args.conn, storeFile);
  try {
    // Setup (not timed): two backups around a bulk drift, and a large difference report.
    const prepared = await prepareStore(b, args.conn, who, args.driftObjects);
    const lastPage = Math.max(1, Math.ceil(prepared.changes / CHANGES_PER_PAGE));
    const ids: ProbeIds = { reportId: prepared.reportId, backupId: prepared.firstBackup.id, farPage: Math.min(2000, lastPage) };
    const filteredFarPage = Math.min(2000, Math.max(1, Math.ceil(prepared.userUpdates / CHANGES_PER_PAGE)));
    const store: BotWorkerFigures["store"] = {
      fileBytes: fileBytes(dir),
      backupStorageBytes: await b.app.store.backupStorageBytes(args.conn.tenantId),
      reportChanges: prepared.changes,
      changePages: lastPage,
    };
    process.stdout.write(`  store ${JSON.stringify(store)}\n`);

    // Timed: every command and click that starts no job, in rounds.
    const client = new TeamsClient(b.botUrl, recorder, args.conn.tenantId, who);
    const loop = new LoopBlock();
    try {
      // The loop's longest stall over the timed rounds of the probes (warm-up left out).
      let started = performance.now();
      const onTimedStart = (): void => {
        started = performance.now();
        loop.reset();
      };
      const warm = await measureProbes(client, botProbes(ids), { ...args, onTimedStart });
      const timedSeconds = round2((performance.now() - started) / 1000);
      const maxLoopBlockMs = loop.maxMs();
      const extra = await measureProbes(client, extraProbes(ids, filteredFarPage), { iterations: args.iterations, warmup: 1 }, "extra");
      return { setup: prepared.figures, ids, store, warm, extra, timedSeconds, maxLoopBlockMs };
    } finally {
      loop.stop();
      await client.close();
    }
  } finally {
    await b.stop();
  }
}

/** Roles read from Graph on every call (role cache off): what the first call after each 60 s expiry pays. */
async function uncachedPart(args: BotWorkerArgs, storeFile: string, recorder: ReplyRecorder, who: BenchPerson, probes: readonly Probe[]): Promise<LatencyFigures[]> {
  if (args.uncachedIterations === 0) return [];
  const u = await startBenchApp(args.conn, storeFile, { accessCacheMs: 0 });
  const client = new TeamsClient(u.botUrl, recorder, args.conn.tenantId, who);
  try {
    const some = probes.filter((p) => p.name === "backups" || p.name === "changes <reportId>" || p.name === "click changes.page 2");
    return await measureProbes(client, some, { iterations: args.uncachedIterations, warmup: 2 }, "uncached-roles");
  } finally {
    await client.close();
    await u.stop();
  }
}

async function main(args: BotWorkerArgs): Promise<BotWorkerFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), "rewind-bot-bench-"));
  const storeFile = path.join(dir, "rewind.db");
  const recorder = await new ReplyRecorder().start();
  try {
    const graph = openGraph(args.conn);
    const who = await benchAdmin(graph).finally(() => graph.close());
    const w = await warmPart(args, storeFile, dir, recorder, who);

    // Cold: a freshly started app on the same store (roles not yet read, statements not yet prepared).
    const probes = botProbes(w.ids);
    const cold: ColdFigures[] = [];
    for (const name of ["backups", "changes <reportId>", `click changes.page ${w.ids.farPage} (far)`]) {
      cold.push(await coldCall(args, storeFile, recorder, who, probes.find((p) => p.name === name)!));
      process.stdout.write(`  cold ${JSON.stringify(cold[cold.length - 1])}\n`);
    }
    const uncachedRoles = await uncachedPart(args, storeFile, recorder, who, probes);
    return {
      ...w,
      cold,
      uncachedRoles,
      lifetimePeakRssMiB: lifetimePeakRssMiB(),
      stray: { unexpectedReplies: recorder.unexpected, otherSends: recorder.other },
    };
  } finally {
    await recorder.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

runWorker(main);
