import { forkTs } from "./child";
async function main() {
  const spec = { seed: 13, users: 100000, groups: 20000, links: 1000000, applications: 1000, conditionalAccessPolicies: 120, namedLocations: 40 };
  const sim = forkTs<{ url: string; ca: string }>("sim-child.ts", [JSON.stringify(spec)]);
  const conn = await sim.ready;
  const reader = forkTs<unknown>("graph-read-worker.ts", [JSON.stringify(conn)], ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"]);
  console.log(await reader.ready);
  await new Promise((r) => reader.process.once("exit", r));
  await sim.stop();
}
main();
