import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { captureBackup } from "../core/backup/capture";
import { systemClock } from "../core/system-clock";
import { GraphDirectory } from "../core/graph/graph-directory";
import { StaticTokenProvider } from "../core/graph/token-provider";
import type { EngineDeps } from "../core/jobs/job-handler";
import type { BackupSummary } from "../core/model/backup";
import { SqliteStore } from "../core/store/sqlite/sqlite-store";
import { SimControl, type SimConnection } from "./sim-control";

/** What every engine benchmark worker is given. */
export interface WorkerArgs {
  readonly conn: SimConnection;
  /** The simulator's `timeScale`: the gateway paces writes to 3,000 per (150 s × timeScale). */
  readonly timeScale: number;
}

/**
 * The engine as production wires it, in a benchmark worker: the Graph gateway on the simulator (trusting its
 * CA; writes paced to the simulator's scaled budget), a SQLite store on a fresh file in a temp directory,
 * the system clock and silent logs.
 */
export class EngineWorld {
  readonly deps: EngineDeps;
  readonly sim: SimControl;

  private constructor(
    readonly args: WorkerArgs,
    readonly graph: GraphDirectory,
    readonly store: SqliteStore,
    private readonly dir: string,
  ) {
    this.deps = { directory: graph, store, clock: systemClock, log: pino({ level: process.env["BENCH_LOG"] ?? "silent" }) };
    this.sim = new SimControl(args.conn);
  }

  static open(args: WorkerArgs): EngineWorld {
    const dir = mkdtempSync(path.join(tmpdir(), "rewind-bench-"));
    const graph = new GraphDirectory({
      tokenProvider: new StaticTokenProvider("bench"),
      baseUrl: args.conn.url,
      ca: args.conn.ca,
      writeBudget: { writes: 3000, windowMs: 150_000 * args.timeScale },
    });
    return new EngineWorld(args, graph, SqliteStore.open({ file: path.join(dir, "rewind.db") }), dir);
  }

  get tenantId(): string {
    return this.args.conn.tenantId;
  }

  /** Takes a backup as the scheduler does, timed. */
  async backup(): Promise<{ summary: BackupSummary; seconds: number }> {
    const started = performance.now();
    const summary = await captureBackup(this.deps, { tenantId: this.tenantId, trigger: "scheduled" });
    return { summary, seconds: (performance.now() - started) / 1000 };
  }

  /** Bytes of the store's files on disk (database, WAL), for comparison with `backupStorageBytes`. */
  fileBytes(): number {
    return readdirSync(this.dir).reduce((sum, f) => sum + statSync(path.join(this.dir, f)).size, 0);
  }

  async close(): Promise<void> {
    await this.sim.close();
    await this.graph.close();
    this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Objects and links a backup holds, summed over types. */
export function backupSize(summary: BackupSummary): { objects: number; deletedObjects: number; links: number } {
  let objects = 0;
  let deletedObjects = 0;
  for (const c of Object.values(summary.counts)) {
    objects += c.live + c.deleted;
    deletedObjects += c.deleted;
  }
  return { objects, deletedObjects, links: summary.links };
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;

/** A worker's entry: parses its JSON argument, runs, reports over IPC; any error exits 1 with the stack. */
export function runWorker<A, R>(fn: (args: A) => Promise<R>): void {
  fn(JSON.parse(process.argv[2] ?? "{}") as A)
    .then((r) => process.send?.(r))
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
}
