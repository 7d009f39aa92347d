/**
 * Reads a whole tenant through the Graph gateway and reports what it read, how fast, and its peak memory.
 * Runs alone in its process so `maxRSS` is the reader's own.
 */
import { Agent, fetch } from "undici";
import { GraphDirectory } from "../core/graph/graph-directory";
import { StaticTokenProvider } from "../core/graph/token-provider";
import { OBJECT_TYPES } from "../core/model/catalog";

export interface ReadFigures {
  objects: number;
  links: number;
  deletedObjects: number;
  seconds: number;
  objectsPerSecond: number;
  linksPerSecond: number;
  peakRssMiB: number;
  peakHeapUsedMiB: number;
  simThrottled: number;
  simRequests: number;
}

async function main(): Promise<void> {
  const { url, ca } = JSON.parse(process.argv[2] ?? "{}") as { url: string; ca: string };
  const graph = new GraphDirectory({ tokenProvider: new StaticTokenProvider("bench"), baseUrl: url, ca });
  let peakHeap = 0;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 100);
  let objects = 0;
  let links = 0;
  let deletedObjects = 0;
  const started = performance.now();
  // Every type at once, as a backup reads them: Graph's time for one overlaps our time for another.
  await Promise.all(
    OBJECT_TYPES.map(async (type) => {
      for await (const batch of graph.readAll(type)) {
        for (const r of batch) {
          if (r.kind === "object") objects++;
          else if (r.kind === "links") links += r.targets.length;
        }
      }
      for await (const batch of graph.readDeleted(type)) deletedObjects += batch.length;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await graph.close();
  const agent = new Agent({ connect: { ca } });
  const stats = (await (await fetch(`${url}/_sim/stats`, { dispatcher: agent })).json()) as { throttled: number; requests: number };
  await agent.close();
  const figures: ReadFigures = {
    objects,
    links,
    deletedObjects,
    seconds: round(seconds),
    objectsPerSecond: Math.round(objects / seconds),
    linksPerSecond: Math.round(links / seconds),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    peakHeapUsedMiB: Math.round(peakHeap / 2 ** 20),
    simThrottled: stats.throttled,
    simRequests: stats.requests,
  };
  process.send?.(figures);
}

const round = (x: number): number => Math.round(x * 100) / 100;

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
