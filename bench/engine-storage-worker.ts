/**
 * Part 4 of the engine benchmark: five daily backups of a tenant where a share of the objects (1% by default)
 * changes each day, against one backup: the store's `backupStorageBytes` after each, and its files on disk.
 */
import { forkTs } from "./child";
import type { DriftFigures } from "./engine-drift";
import { backupSize, EngineWorld, round2, runWorker, type WorkerArgs } from "./engine-world";

export interface StorageWorkerArgs extends WorkerArgs {
  readonly days: number;
  /** Objects changed per day (1% of the tenant's users and groups at the size). */
  readonly changesPerDay: number;
}

export interface StorageDay {
  readonly day: number;
  readonly driftObjects: number;
  readonly driftFailed: number;
  readonly backupSeconds: number;
  readonly objects: number;
  readonly links: number;
  readonly storageBytes: number;
  readonly fileBytes: number;
}

export interface StorageFigures {
  readonly days: StorageDay[];
  readonly bytesAfterOne: number;
  readonly bytesAfterAll: number;
  readonly ratio: number;
  readonly fileBytesRatio: number;
}

async function driftDay(args: StorageWorkerArgs, world: EngineWorld, day: number): Promise<DriftFigures> {
  await world.sim.setThrottling(false);
  const child = forkTs<DriftFigures>("engine-drift-worker.ts", [JSON.stringify({ url: args.conn.url, ca: args.conn.ca, objects: args.changesPerDay, seed: 1000 + day })]);
  try {
    return await child.ready;
  } finally {
    await child.stop();
    await world.sim.setThrottling(true);
  }
}

async function main(args: StorageWorkerArgs): Promise<StorageFigures> {
  const world = EngineWorld.open(args);
  const days: StorageDay[] = [];
  try {
    for (let day = 1; day <= args.days; day++) {
      let driftObjects = 0;
      let driftFailed = 0;
      if (day > 1) {
        const d = await driftDay(args, world, day);
        driftObjects = d.objects;
        driftFailed = Object.entries(d.send.byStatus).reduce((n, [status, count]) => (Number(status) >= 300 ? n + count : n), 0);
      }
      const { summary, seconds } = await world.backup();
      const size = backupSize(summary);
      const row: StorageDay = {
        day,
        driftObjects,
        driftFailed,
        backupSeconds: round2(seconds),
        objects: size.objects,
        links: size.links,
        storageBytes: await world.store.backupStorageBytes(world.tenantId),
        fileBytes: world.fileBytes(),
      };
      process.stdout.write(`  storage day ${day}: ${JSON.stringify(row)}\n`);
      days.push(row);
    }
    const first = days[0]!;
    const lastDay = days[days.length - 1]!;
    return {
      days,
      bytesAfterOne: first.storageBytes,
      bytesAfterAll: lastDay.storageBytes,
      ratio: round2(lastDay.storageBytes / first.storageBytes),
      fileBytesRatio: round2(lastDay.fileBytes / first.fileBytes),
    };
  } finally {
    await world.close();
  }
}

runWorker(main);
