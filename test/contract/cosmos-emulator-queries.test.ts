import makeQuery from "@zeit/cosmosdb-query";
import { copiesAccumulator, linearQueryCode } from "../../scripts/cosmos-emulator/linear-query-code";
import { compilesQuadratic, makeEmulatorQueriesLinear } from "../../scripts/cosmos-emulator/linear-emulator-queries";

// The Cosmos test server's query engine copied its accumulator once per document (n²/2 copies a query), so
// the tests and `npm run bench -- cosmos` run it with appends instead. These tests hold that the rewrite
// changes no answer: every query shape the Cosmos store sends, over documents like the store's, paged in
// small pages, gives the same rows, order and continuation tokens as the untouched engine.

type Engine = typeof makeQuery;
interface Parameter {
  readonly name: string;
  readonly value: unknown;
}
interface Page {
  readonly result: unknown[];
  readonly continuation: { token: string } | null;
}

/** A copy of the engine loaded apart from the patched one (its own module registry). */
function pristineEngine(): Engine {
  let engine: Engine | undefined;
  jest.isolateModules(() => {
    engine = (require("@zeit/cosmosdb-query") as { default: Engine }).default;
  });
  if (engine === undefined) throw new Error("no pristine engine");
  return engine;
}

/** Documents shaped like the store's: changes and outcomes of two jobs, staged and sealed backup chunks, jobs. */
function documents(): Record<string, unknown>[] {
  const docs: Record<string, unknown>[] = [];
  let rid = 0;
  const add = (doc: Record<string, unknown>): void => {
    rid += 1;
    docs.push({ ...doc, _rid: `rid${String(rid).padStart(6, "0")}` });
  };
  const types = ["user", "group", "application"];
  const actions = ["update", "softDelete", "restore"];
  for (const job of ["t|j1", "t|j2"]) {
    // Written out of seq order, as bulk upserts land.
    for (let i = 0; i < 60; i += 1) {
      const seq = (i * 37) % 60;
      add({ id: String(seq).padStart(16, "0"), pk: job, kind: "change", seq, type: types[seq % 3], action: actions[seq % 3], ttl: seq % 5 === 0 ? undefined : 86400, change: { seq, note: seq % 4 === 0 ? undefined : "x" } });
    }
    for (let seq = 0; seq < 30; seq += 1) add({ id: `o${seq}`, pk: job, kind: "outcome", seq, ord: 30 - seq, status: seq % 7 === 0 ? "failed" : "done" });
  }
  for (let chunk = 0; chunk < 12; chunk += 1) {
    const objects = Array.from({ length: 25 }, (_, k) => ({ type: types[k % 3], id: `id-${chunk}-${String(k).padStart(3, "0")}`, deleted: k % 6 === 0, hash: `h${k}`, position: k % 5 === 0 ? undefined : k, properties: { k, skip: undefined } }));
    const links = Array.from({ length: chunk % 4 === 0 ? 0 : 40 }, (_, k) => ({ type: types[k % 3], id: `id-${chunk}-${String(k % 25).padStart(3, "0")}`, link: `owners`, targets: `id-${(chunk + 1) % 12}-${k}` }));
    add({ id: `s${chunk}`, pk: "t|b1", kind: "staged", seq: chunk, objects, ...(chunk % 4 === 0 ? {} : { links }) });
    add({ id: `z${chunk}`, pk: "t|b1", kind: "sealed", type: types[chunk % 3], position: 12 - chunk, firstId: `id-${chunk}-000`, lastId: `id-${chunk}-024`, tenantId: "t", bytes: 100 + chunk });
  }
  for (let j = 0; j < 20; j += 1) add({ id: `job${j}`, pk: "t", docType: "job", state: ["running", "queued", "succeeded", "failed"][j % 4], completedKey: `2026-11-${String(10 + j).padStart(2, "0")}` });
  return docs;
}

const P = (name: string, value: unknown): Parameter => ({ name, value });

/** Each query shape of core/store/cosmos, with parameters that select some documents. */
const QUERIES: ReadonlyArray<readonly [string, readonly Parameter[]]> = [
  ["SELECT * FROM c", []],
  ['SELECT TOP @limit * FROM c WHERE c.pk = @pk AND c.kind = "change" AND c.seq > @after AND ARRAY_CONTAINS(@types, c.type) ORDER BY c.seq', [P("@limit", 25), P("@pk", "t|j1"), P("@after", 7), P("@types", ["user", "group"])]],
  ['SELECT TOP @count c.seq FROM c WHERE c.pk = @pk AND c.kind = "change" AND ARRAY_CONTAINS(@actions, c.action) ORDER BY c.seq', [P("@count", 40), P("@pk", "t|j2"), P("@actions", ["update"])]],
  ['SELECT * FROM c WHERE c.pk = @pk AND c.kind = "change" AND ARRAY_CONTAINS(@seqs, c.seq)', [P("@pk", "t|j1"), P("@seqs", [3, 9, 12, 59, 400])]],
  ["SELECT TOP @n * FROM c WHERE c.pk = @pk AND (NOT IS_DEFINED(c.ttl) OR c.ttl != @ttl)", [P("@n", 50), P("@pk", "t|j1"), P("@ttl", 86400)]],
  ['SELECT * FROM c WHERE c.pk = @pk AND c.kind = "outcome" AND c.seq >= @from AND c.seq <= @to ORDER BY c.ord', [P("@pk", "t|j2"), P("@from", 3), P("@to", 25)]],
  ["SELECT c.seq, o.type, o.id, o.deleted, o.hash, o.position FROM c JOIN o IN c.objects WHERE c.pk = @pk AND c.kind = 'staged'", [P("@pk", "t|b1")]],
  ["SELECT l.id, l.link, l.targets FROM c JOIN l IN c.links WHERE c.pk = @pk AND c.kind = 'staged' AND l.type = @t AND l.id >= @lo AND l.id <= @hi", [P("@pk", "t|b1"), P("@t", "group"), P("@lo", "id-2"), P("@hi", "id-9")]],
  ["SELECT o.id, o.hash, o.properties FROM c JOIN o IN c.objects WHERE c.pk = @pk AND c.kind = 'staged' AND o.type = @t AND ARRAY_CONTAINS(@ids, o.id)", [P("@pk", "t|b1"), P("@t", "user"), P("@ids", ["id-1-000", "id-5-003", "id-11-024"])]],
  ["SELECT c.id, c.firstId, c.lastId FROM c WHERE c.pk = @pk AND c.kind = 'sealed' AND c.type = @t ORDER BY c.position", [P("@pk", "t|b1"), P("@t", "user")]],
  ["SELECT VALUE c.bytes FROM c WHERE c.tenantId = @t", [P("@t", "t")]],
  ["SELECT VALUE COUNT(1) FROM c WHERE c.pk = @pk", [P("@pk", "t|j1")]],
  ['SELECT c.pk, c.id, c.completedKey FROM c WHERE c.docType = "job" AND ARRAY_CONTAINS(@terminal, c.state) AND c.completedKey < @before', [P("@terminal", ["succeeded", "failed"]), P("@before", "2026-11-25")]],
];

/** Every page of a query, at `pageSize` rows a page. */
function allPages(engine: Engine, sql: string, parameters: readonly Parameter[], docs: Record<string, unknown>[], pageSize: number): Page[] {
  const query = engine(sql);
  const pages: Page[] = [];
  let continuation: { token: string } | undefined;
  do {
    const page = query.exec(docs, { parameters: [...parameters], maxItemCount: pageSize, continuation }) as Page;
    pages.push(page);
    continuation = page.continuation ?? undefined;
  } while (continuation !== undefined && pages.length < 1000);
  return pages;
}

describe("the Cosmos test server's linear queries", () => {
  const pristine = pristineEngine();
  beforeAll(() => makeEmulatorQueriesLinear());

  test("the untouched engine copies its accumulator (what the rewrite removes)", () => {
    expect(copiesAccumulator(pristine("SELECT * FROM c").code)).toBe(true);
    expect(copiesAccumulator(pristine("SELECT l.i FROM c JOIN l IN c.links").code)).toBe(true);
  });

  test.each(QUERIES.map(([sql, parameters]) => [sql, parameters] as const))("%s: same pages as the untouched engine", (sql, parameters) => {
    expect(compilesQuadratic(sql)).toBe(false);
    const docs = documents();
    for (const pageSize of [7, 100]) {
      const expected = allPages(pristine, sql, parameters, docs, pageSize);
      const actual = allPages(makeQuery, sql, parameters, docs, pageSize);
      expect(actual).toEqual(expected);
      expect(expected.flatMap((page) => page.result).length).toBeGreaterThan(0);
    }
  });

  test("the rewrite leaves code it does not know alone, and applying it twice changes nothing", () => {
    const code = "($, c) => [...$, ...c.other]";
    expect(linearQueryCode(code)).toBe(code);
    makeEmulatorQueriesLinear();
    const once = makeQuery("SELECT l.i FROM c JOIN l IN c.links").code;
    expect(linearQueryCode(once)).toBe(once);
    expect(copiesAccumulator(once)).toBe(false);
  });

  test("undefined members and elements are still dropped from results, as JSON would", () => {
    const docs = [{ id: "a", _rid: "r1", list: [1, undefined, { x: undefined, y: 2 }], gone: undefined }];
    const expected = pristine("SELECT * FROM c").exec(docs) as Page;
    const actual = makeQuery("SELECT * FROM c").exec(docs) as Page;
    expect(actual).toEqual(expected);
    expect(actual.result).toEqual([{ id: "a", _rid: "r1", list: [1, { y: 2 }] }]);
  });

  test("the test server applies the rewrite itself when it starts", async () => {
    // In a registry of its own, where nothing above has patched the engine yet.
    await jest.isolateModulesAsync(async () => {
      const emulator = require("../../scripts/cosmos-emulator/linear-emulator-queries") as typeof import("../../scripts/cosmos-emulator/linear-emulator-queries");
      const sql = "SELECT c.seq, o.i FROM c JOIN o IN c.objects WHERE c.pk = @pk";
      expect(emulator.compilesQuadratic(sql)).toBe(true);
      const { startCosmosTestServer: start } = require("./cosmos-temp") as typeof import("./cosmos-temp");
      const server = await start();
      try {
        expect(emulator.compilesQuadratic(sql)).toBe(false);
      } finally {
        await server.close();
      }
    });
  });
});
