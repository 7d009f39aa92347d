/**
 * A separate engine process for the crash test: it runs whatever job the shared store holds (claiming it
 * once the previous holder's lease lapses) and exits when no job is active. Its writes are paced slowly so
 * the test can kill it mid-way.
 */
import pino from "pino";
import { systemClock } from "../../core/system-clock";
import { createEngine } from "../../core/engine";
import { engineConfigFromEnv } from "../../app/settings/section-readers";
import { GraphDirectory } from "../../core/graph/graph-directory";
import { StaticTokenProvider } from "../../core/graph/token-provider";
import type { Store } from "../../core/ports";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import { openCosmosTestStore } from "./cosmos-test-store";
import type { ChildStoreArgs } from "./engine-fixture";

interface Args {
  store: ChildStoreArgs;
  url: string;
  ca: string;
  tenantId: string;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? "{}") as Args;
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const store: Store & { close(): void | Promise<void> } =
    args.store.kind === "sqlite" ? SqliteStore.open({ file: args.store.file }) : await openCosmosTestStore(args.store.endpoint, args.store.databaseId, log);
  const directory = new GraphDirectory({
    tokenProvider: new StaticTokenProvider("child-token"),
    baseUrl: args.url,
    ca: args.ca,
    writeBudget: { writes: 40, windowMs: 1_000 },
    retry: { baseDelayMs: 20, maxDelayMs: 2_000, maxRetries: 8 },
  });
  const engine = createEngine(
    { directory, store, clock: systemClock, log },
    { tenantId: args.tenantId, config: engineConfigFromEnv({}), scheduleBackups: false, runner: { leaseMs: 1_500, heartbeatMs: 200, pollMs: 200 } },
  );
  await engine.start();
  process.stdout.write("started\n");
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    if ((await store.listActiveJobs(args.tenantId)).length === 0) break;
  }
  await engine.stop();
  await directory.close();
  await store.close();
  process.stdout.write("done\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
