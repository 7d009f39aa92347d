import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { RUN_DIR_ENV } from "./conformance-mode";
import globalTeardown from "./jest-global-teardown";
import type { TallyFile } from "./tally";

// The end of every jest run: the suites' tallies are summed and printed, and a violation fails the run unless
// the run only asked for the list. What `npm test` relies on to keep the gateway and the simulator to Graph.

const violation = { rule: "request.query.select", method: "GET", pattern: "/servicePrincipals", property: "publisherName", detail: "microsoft.graph.servicePrincipal has no property 'publisherName'" };

function runFolder(tallies: TallyFile[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), "rewind-conformance-gate-"));
  tallies.forEach((t, i) => writeFileSync(path.join(dir, `suite-${i}.json`), JSON.stringify(t)));
  return dir;
}

const clean: TallyFile = { shapes: ["GET /users $select"], types: ["microsoft.graph.user"], violations: [], refused: [], unchecked: [] };

describe("the conformance gate at the end of a jest run", () => {
  const saved = { mode: process.env["GRAPH_CONFORMANCE"], dir: process.env[RUN_DIR_ENV] };
  let out: jest.SpyInstance;
  beforeEach(() => {
    out = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
  });
  afterEach(() => {
    out.mockRestore();
    for (const [k, v] of [["GRAPH_CONFORMANCE", saved.mode], [RUN_DIR_ENV, saved.dir]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it("fails the run by default when a suite saw a violation, after printing it", () => {
    delete process.env["GRAPH_CONFORMANCE"];
    process.env[RUN_DIR_ENV] = runFolder([clean, { ...clean, violations: [violation] }]);
    expect(() => globalTeardown()).toThrow(/Graph conformance: 1 violations/);
    const printed = out.mock.calls.map((c) => String(c[0])).join("");
    expect(printed).toContain("Graph conformance: 1 distinct request shapes, 1 response types checked, 1 violations");
    expect(printed).toContain("[request.query.select] GET /servicePrincipals publisherName");
  });

  it("passes a run without violations, and one that asked only for the list", () => {
    delete process.env["GRAPH_CONFORMANCE"];
    process.env[RUN_DIR_ENV] = runFolder([clean]);
    expect(() => globalTeardown()).not.toThrow();
    process.env["GRAPH_CONFORMANCE"] = "report";
    process.env[RUN_DIR_ENV] = runFolder([{ ...clean, violations: [violation] }]);
    expect(() => globalTeardown()).not.toThrow();
  });
});
