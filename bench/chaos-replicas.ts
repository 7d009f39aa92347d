import path from "node:path";
import type { ReplicaArgs, ReplicaReady } from "./chaos-replica";
import type { ChaosAppArgs } from "./chaos-app";
import { forkTs, type Child } from "./child";

/** One process a replica slot ran: its owner name in job leases, and when it started and ended. */
export interface Incarnation {
  readonly slot: string;
  readonly owner: string;
  readonly child: Child<ReplicaReady>;
  readonly spawnedAt: number;
  readyAt?: number;
  endedAt?: number;
  endedBy?: "SIGKILL" | "SIGTERM" | "exit";
  exitCode?: number | null;
}

/** The lease and polling of the replicas' job runners. */
export interface RunnerTiming {
  readonly leaseMs: number;
  readonly heartbeatMs: number;
  readonly pollMs: number;
}

/**
 * The replicas of a chaos run: slots (A, B), each running one process at a time, told apart in job leases by
 * their owner name (`replica-A-2`: slot A's second process). A killed slot is started again at once.
 */
export class ReplicaSet {
  readonly incarnations: Incarnation[] = [];
  private readonly live = new Map<string, Incarnation>();

  constructor(
    private readonly app: Omit<ChaosAppArgs, "logFile">,
    private readonly timing: RunnerTiming,
    private readonly logDir: string,
  ) {}

  /** Starts a process in a slot (its next incarnation); resolves once it is up. */
  async start(slot: string): Promise<Incarnation> {
    const n = this.incarnations.filter((i) => i.slot === slot).length + 1;
    const owner = `replica-${slot}-${n}`;
    const args: ReplicaArgs = { ...this.app, logFile: path.join(this.logDir, `${owner}.log`), owner, ...this.timing };
    const child = forkTs<ReplicaReady>("chaos-replica.ts", [JSON.stringify(args)], ["--disable-warning=DEP0111"]);
    const inc: Incarnation = { slot, owner, child, spawnedAt: Date.now() };
    this.incarnations.push(inc);
    this.live.set(slot, inc);
    child.process.once("exit", (code) => {
      inc.endedAt ??= Date.now();
      inc.endedBy ??= "exit";
      inc.exitCode = code;
    });
    await child.ready;
    inc.readyAt = Date.now();
    return inc;
  }

  /** The live process holding this owner name, if any. */
  byOwner(owner: string): Incarnation | undefined {
    return [...this.live.values()].find((i) => i.owner === owner && i.endedAt === undefined);
  }

  /** Kills a slot's process with SIGKILL (no clean-up of any kind) and waits for it to be gone. */
  async kill(inc: Incarnation): Promise<void> {
    inc.endedBy = "SIGKILL";
    inc.endedAt = Date.now();
    const gone = new Promise<void>((r) => (inc.child.process.exitCode !== null || inc.child.process.signalCode !== null ? r() : inc.child.process.once("exit", () => r())));
    inc.child.process.kill("SIGKILL");
    await gone;
  }

  /** Stops every live process with SIGTERM (production's graceful stop) and waits for them. */
  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.live.values()].map(async (inc) => {
        if (inc.endedAt !== undefined) return;
        inc.endedBy = "SIGTERM";
        await inc.child.stop();
        inc.endedAt = Date.now();
      }),
    );
  }

  /** Last resort on failure: SIGKILL whatever still runs. */
  killAll(): void {
    for (const inc of this.incarnations) if (inc.child.process.exitCode === null && inc.child.process.signalCode === null) inc.child.process.kill("SIGKILL");
  }
}
