import { forkTs, median } from "../child";
import type { ReadFigures } from "../graph-read-worker";
import type { Suite } from "./suite";

/** The tenant: 100,000 users, 20,000 groups, 1,000,000 membership links; then ten times that. */
const BASE = { seed: 13, users: 100_000, groups: 20_000, links: 1_000_000, applications: 1_000, conditionalAccessPolicies: 120, namedLocations: 40 };

async function readOnce(scale: number): Promise<ReadFigures> {
  const spec = { ...BASE, users: BASE.users * scale, groups: BASE.groups * scale, links: BASE.links * scale, applications: BASE.applications * scale };
  const sim = forkTs<{ url: string; ca: string }>("sim-child.ts", [JSON.stringify(spec)]);
  try {
    const conn = await sim.ready;
    const reader = forkTs<ReadFigures>("graph-read-worker.ts", [JSON.stringify(conn)]);
    try {
      return await reader.ready;
    } finally {
      await reader.stop();
    }
  } finally {
    await sim.stop();
  }
}

export const graphRead: Suite = {
  description: "read a simulated tenant through the Graph gateway (objects/s, peak memory), and the same at ten times the size",
  async run(args) {
    const runs = Number(args.find((a) => a.startsWith("--runs="))?.slice(7) ?? 3);
    const skipTenfold = args.includes("--no-tenfold");
    const base: ReadFigures[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await readOnce(1);
      process.stdout.write(`  1x run ${i + 1}: ${JSON.stringify(r)}\n`);
      base.push(r);
    }
    const summary = (rs: ReadFigures[]) => ({
      runs: rs.length,
      objects: rs[0]!.objects,
      links: rs[0]!.links,
      medianSeconds: median(rs.map((r) => r.seconds)),
      medianObjectsPerSecond: median(rs.map((r) => r.objectsPerSecond)),
      medianLinksPerSecond: median(rs.map((r) => r.linksPerSecond)),
      medianPeakRssMiB: median(rs.map((r) => r.peakRssMiB)),
      medianPeakHeapUsedMiB: median(rs.map((r) => r.peakHeapUsedMiB)),
      throttled: rs.map((r) => r.simThrottled),
      all: rs,
    });
    const out: Record<string, unknown> = {
      targets: { objectsPerSecond: ">= 20000", peakRssMiB: "< 1024", tenfold: "peak memory flat when the tenant grows tenfold" },
      tenant1x: { users: BASE.users, groups: BASE.groups, membershipLinks: BASE.links, ...summary(base) },
    };
    if (!skipTenfold) {
      const big = await readOnce(10);
      process.stdout.write(`  10x run: ${JSON.stringify(big)}\n`);
      out.tenant10x = { users: BASE.users * 10, groups: BASE.groups * 10, membershipLinks: BASE.links * 10, ...summary([big]) };
      out.peakRssRatio10xTo1x = Math.round((big.peakRssMiB / median(base.map((r) => r.peakRssMiB))) * 100) / 100;
    }
    return out;
  },
};
