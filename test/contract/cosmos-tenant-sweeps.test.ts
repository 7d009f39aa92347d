/**
 * A second deployment of another tenant may share the Cosmos database. The sweeps a deployment runs on its own
 * (the runner's look for unfinished jobs, retention of jobs and audit entries, and the bot's clean-up of its cards
 * and alert claims) must read
 * one partition: the tenant's. The emulator ignores the `partitionKey` option, so the contract suites show
 * what comes back; this shows what is asked of Cosmos: each sweep's query is routed to the tenant's partition
 * and filters on it itself.
 */
import type { Container, FeedOptions, SqlQuerySpec } from "@azure/cosmos";
import pino from "pino";
import { openCosmosConversationStore } from "../../bot/conversations/cosmos/cosmos-conversation-store";
import type { CosmosContainers } from "../../core/store/cosmos/cosmos-containers";
import { queryPartition } from "../../lib/cosmos-calls";
import { queryPartition as queryConversationPartition } from "../../lib/cosmos-calls";
import { cosmosStoreOn } from "../engine/cosmos-test-store";
import { startCosmosTestServer, type CosmosTestServer } from "./cosmos-temp";

const TENANT = "c0ffee00-0000-4000-8000-0000000000d1";
const NEIGHBOUR = "c0ffee00-0000-4000-8000-0000000000d2";

interface Asked {
  readonly container: string;
  readonly query: string;
  readonly pk: unknown;
  readonly partitionKey: unknown;
}

/** Records every query sent to the given containers, with its partition key option and `@pk` parameter. */
function recordQueries(containers: readonly Container[]): Asked[] {
  const asked: Asked[] = [];
  for (const container of containers) {
    const items = container.items;
    const query = items.query.bind(items) as (spec: SqlQuerySpec | string, options?: FeedOptions) => ReturnType<typeof items.query>;
    Object.assign(items, {
      query: (spec: SqlQuerySpec | string, options?: FeedOptions) => {
        const q = typeof spec === "string" ? { query: spec } : spec;
        asked.push({ container: container.id, query: q.query, pk: q.parameters?.find((p) => p.name === "@pk")?.value, partitionKey: options?.partitionKey });
        return query(spec, options);
      },
    });
  }
  return asked;
}

describe("Cosmos sweeps stay in the tenant's partition", () => {
  let server: CosmosTestServer;
  let containers: CosmosContainers;
  beforeAll(async () => {
    server = await startCosmosTestServer();
    containers = await server.freshContainers();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("routes the active-job look-up and every retention sweep to one partition, filtered on it in the query too", async () => {
    const store = cosmosStoreOn(containers, pino({ level: "silent" }));
    const conversations = await openCosmosConversationStore(containers.jobs.database, pino({ level: "silent" }));
    const asked = recordQueries([containers.jobs, containers.audit, conversations.container]);
    const before = "2026-11-25T09:00:00.000Z";
    await store.listActiveJobs(TENANT);
    await store.listJobsCompletedBefore(TENANT, before);
    await store.purgeAudit(TENANT, before);
    await conversations.purgeConversationState(TENANT, before);
    expect(new Set(asked.map((a) => a.container))).toEqual(new Set(["jobs", "audit", "conversations"]));
    for (const a of asked) expect(a).toMatchObject({ partitionKey: TENANT, pk: TENANT, query: expect.stringMatching(/\bc\.pk = @pk\b/) });
    expect(asked.some((a) => a.partitionKey === NEIGHBOUR)).toBe(false);
  });

  it("refuses to send a single-partition query that does not filter on that partition itself", async () => {
    for (const query of [queryPartition, queryConversationPartition]) {
      await expect(query(containers.jobs, TENANT, { query: "SELECT * FROM c WHERE c.docType = 'job'" })).rejects.toThrow(/c\.pk = @pk/);
      await expect(query(containers.jobs, TENANT, { query: "SELECT * FROM c WHERE c.pk = @pk", parameters: [{ name: "@pk", value: NEIGHBOUR }] })).rejects.toThrow(
        /same partition key/,
      );
    }
  });
});
