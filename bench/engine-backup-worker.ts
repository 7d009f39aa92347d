/**
 * Part 1 of the engine benchmark: one backup of the simulated tenant, alone in a fresh process, so the peak
 * resident memory reported is the backup's own (gateway reads, record building, SQLite writes).
 */
import { backupSize, EngineWorld, round2, runWorker, type WorkerArgs } from "./engine-world";
import { LoopBlock } from "./loop-block";
import { lifetimePeakRssMiB } from "./peak-rss";

export interface BackupFigures {
  readonly seconds: number;
  readonly objects: number;
  readonly deletedObjects: number;
  readonly links: number;
  readonly objectsPerSecond: number;
  readonly peakRssMiB: number;
  readonly peakHeapUsedMiB: number;
  readonly maxLoopBlockMs: number;
  readonly storageBytes: number;
  readonly simRequests: number;
  readonly simThrottled: number;
}

async function backupOnce(args: WorkerArgs): Promise<BackupFigures> {
  const world = EngineWorld.open(args);
  const loop = new LoopBlock();
  let peakHeap = 0;
  const heap = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 100);
  try {
    await world.sim.resetStats();
    const { summary, seconds } = await world.backup();
    const size = backupSize(summary);
    const stats = await world.sim.stats();
    return {
      seconds: round2(seconds),
      ...size,
      objectsPerSecond: Math.round(size.objects / seconds),
      peakRssMiB: lifetimePeakRssMiB(),
      peakHeapUsedMiB: Math.round(peakHeap / 2 ** 20),
      maxLoopBlockMs: loop.maxMs(),
      storageBytes: await world.store.backupStorageBytes(world.tenantId),
      simRequests: stats.requests,
      simThrottled: stats.throttled,
    };
  } finally {
    clearInterval(heap);
    loop.stop();
    await world.close();
  }
}

runWorker(backupOnce);
