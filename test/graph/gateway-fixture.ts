import { GraphDirectory, type GraphDirectoryOptions } from "../../core/graph/graph-directory";
import { StaticTokenProvider } from "../../core/graph/token-provider";
import type { DirectoryRecord, LinksRecord, ObjectRecord } from "../../core/ports";
import type { ObjectType } from "../../core/model/catalog";
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "../../sim/index";

/** A simulator and a gateway that trusts its CA, as production would trust Graph's. */
export interface Fixture {
  sim: RunningSimulator;
  graph: GraphDirectory;
  close(): Promise<void>;
}

/** Fast retries and a generous write budget unless a test asks otherwise. */
export async function startFixture(sim: SimulatorOptions = {}, gateway: Partial<GraphDirectoryOptions> = {}): Promise<Fixture> {
  const running = await startSimulator({ tenant: "demo", ...sim });
  const graph = new GraphDirectory({
    tokenProvider: new StaticTokenProvider("test-token"),
    baseUrl: running.url,
    ca: running.ca,
    retry: { baseDelayMs: 20, maxDelayMs: 5_000, maxRetries: 8 },
    writeBudget: false,
    linkRetry: { attempts: 3, delayMs: 50 },
    ...gateway,
  });
  return {
    sim: running,
    graph,
    close: async () => {
      await graph.close();
      await running.close();
    },
  };
}

/** Every record of an enumeration, its batches flattened. */
export async function collect<T>(it: AsyncIterable<readonly T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const batch of it) out.push(...batch);
  return out;
}

export const objectsOf = (records: readonly DirectoryRecord[], type?: ObjectType): ObjectRecord[] =>
  records.filter((r): r is ObjectRecord => r.kind === "object" && (type === undefined || r.type === type));

/** The union of every link chunk, per object id, as the engine would assemble it. */
export function linkSets(records: readonly DirectoryRecord[], link: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of records) {
    if (r.kind !== "links" || r.link !== link) continue;
    const set = out.get(r.id) ?? new Set<string>();
    for (const t of r.targets) set.add(t.id);
    for (const t of r.removed ?? []) set.delete(t.id);
    out.set(r.id, set);
  }
  return out;
}

export const targetsOf = (links: readonly LinksRecord[], link: string): string[] =>
  (links.find((l) => l.link === link)?.targets ?? []).map((t) => t.id).sort();
