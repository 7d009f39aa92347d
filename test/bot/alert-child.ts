/**
 * A bot replica for the exactly-once alert test: it opens the shared Cosmos database, and on "go" sweeps the
 * finished jobs three times (as every replica does every 30 s), sending what it claims.
 */
import { createInterface } from "node:readline";
import pino from "pino";
import { systemClock } from "../../core/system-clock";
import { createAdapter } from "../../bot/bot-server";
import { JobWatcher } from "../../bot/proactive/job-watcher";
import { ProactiveSender } from "../../bot/proactive/proactive-sender";
import { openCosmosTestStore } from "../engine/cosmos-test-store";

interface Args {
  endpoint: string;
  databaseId: string;
  tenantId: string;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? "{}") as Args;
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const store = await openCosmosTestStore(args.endpoint, args.databaseId, log);
  const sender = new ProactiveSender(createAdapter({ mode: "local" }, log), "", store, args.tenantId, systemClock, log, { backoffMs: 20, spacingMs: 5 });
  const watcher = new JobWatcher(store, sender, { host: "127.0.0.1", port: 0, auth: { mode: "local" }, tenantId: args.tenantId, cardUpdateMs: 1000 }, systemClock, log, async () => false);
  process.stdout.write("ready\n");
  for await (const line of createInterface({ input: process.stdin })) {
    if (line !== "go") break;
    await Promise.all([watcher.sweepFinished(), watcher.sweepFinished(), watcher.sweepFinished()]);
    process.stdout.write("swept\n");
  }
  await watcher.stop();
  await store.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
