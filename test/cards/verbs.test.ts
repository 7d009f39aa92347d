import { CARD_VERBS, FILTER_ACTIONS, FILTER_OBJECT_TYPES, VERB_DATA, parseVerbData } from "../../cards";
import { OBJECT_TYPES } from "../../core/model/catalog";
import { RECOVERY_ACTIONS } from "../../core/model/change";

const JOB = "0f8fad5b-d9cb-469f-a165-70867728950e";
const REQ = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const DIGEST = "ab".repeat(32);

function refusal(verb: string, data: unknown): string {
  const r = parseVerbData(verb, data);
  if (r.ok) throw new Error(`expected ${verb} ${JSON.stringify(data)} to be refused`);
  return r.error;
}

describe("the verb contract", () => {
  test("every verb has a data schema, and nothing else does", () => {
    expect(Object.keys(VERB_DATA).sort()).toEqual([...CARD_VERBS].sort());
  });
  test("filter lists match the engine's types and actions", () => {
    expect([...FILTER_OBJECT_TYPES]).toEqual([...OBJECT_TYPES]);
    expect([...FILTER_ACTIONS].sort()).toEqual([...RECOVERY_ACTIONS].sort());
  });
});

describe("parseVerbData", () => {
  test("accepts each verb's data and returns it typed", () => {
    const good: readonly (readonly [string, unknown])[] = [
      ["help.show", {}],
      ["whoami.show", undefined],
      ["backups.list", { page: 3 }],
      ["backups.list", {}],
      ["report.start", { backupId: "2026-11-25T02:00:00Z" }],
      ["report.summary", { jobId: JOB }],
      ["report.changes", { jobId: JOB }],
      ["changes.page", { jobId: JOB, page: 2, type: "servicePrincipal", action: "softDelete" }],
      ["changes.page", { jobId: JOB, page: 1, outcome: "failed" }],
      ["recovery.request", { reportId: JOB }],
      ["recovery.view", { requestId: REQ, reportId: JOB, digest: DIGEST }],
      ["recovery.approve", { requestId: REQ, reportId: JOB, digest: DIGEST }],
      ["recovery.reject", { requestId: REQ, reportId: JOB, digest: DIGEST }],
      ["recovery.result", { jobId: JOB }],
      ["job.cancel", { jobId: JOB }],
      ["job.refresh", { jobId: JOB }],
      ["jobs.list", { backupId: "2026-11-25T02:00:00Z", page: 100000 }],
    ];
    for (const [verb, data] of good) {
      const r = parseVerbData(verb, data);
      expect(r).toEqual({ ok: true, verb, data: data ?? {} });
    }
  });
  test("narrows data by verb", () => {
    const r = parseVerbData("changes.page", { jobId: JOB, page: 2 });
    if (!r.ok || r.verb !== "changes.page") throw new Error("expected changes.page");
    const page: number = r.data.page;
    expect(page).toBe(2);
  });
  test("an unknown verb is refused, listing the known ones", () => {
    const error = refusal("recovery.force", {});
    expect(error).toContain('Unknown card action "recovery.force"');
    for (const verb of CARD_VERBS) expect(error).toContain(verb);
  });
  test("a missing field is named", () => {
    expect(refusal("recovery.approve", { requestId: REQ, reportId: JOB })).toBe('The data of "recovery.approve" is not valid: "digest" is missing.');
    expect(refusal("changes.page", { jobId: JOB })).toContain('"page" is missing');
  });
  test("an extra field is refused as tampering", () => {
    const error = refusal("job.cancel", { jobId: JOB, force: true });
    expect(error).toContain('"force" is not expected here');
    expect(error).toContain("altered");
  });
  test("a wrong type or shape says what is accepted", () => {
    expect(refusal("job.refresh", { jobId: 42 })).toContain('"jobId" must be a job id');
    expect(refusal("job.refresh", { jobId: "../../etc" })).toContain('"jobId" must be a job id');
    expect(refusal("report.start", { backupId: "yesterday" })).toContain("2026-11-25T02:00:00Z");
    expect(refusal("backups.list", { page: 0 })).toContain('"page" must be a whole number from 1 to 100000');
    expect(refusal("backups.list", { page: 1.5 })).toContain("whole number");
    expect(refusal("backups.list", { page: "2" })).toContain("whole number");
    expect(refusal("changes.page", { jobId: JOB, page: 1, type: "device" })).toContain('"type" must be one of user, group');
    expect(refusal("changes.page", { jobId: JOB, page: 1, outcome: "pending" })).toContain('"outcome" must be one of applied, failed, skipped');
    expect(refusal("recovery.approve", { requestId: REQ, reportId: JOB, digest: "abc" })).toContain("64-character hex digest");
  });
  test("data that is not an object is refused", () => {
    expect(refusal("help.show", "x")).toContain("must be an object");
    expect(refusal("help.show", [1])).toContain("must be an object");
  });
  test("Teams' msteams key is dropped; nothing else is ignored", () => {
    expect(parseVerbData("job.refresh", { jobId: JOB, msteams: { type: "messageBack" } })).toEqual({ ok: true, verb: "job.refresh", data: { jobId: JOB } });
    expect(parseVerbData("job.refresh", { jobId: JOB, msTeams: {} }).ok).toBe(false);
  });
  test("a long unknown verb is cut in the message", () => {
    expect(refusal("x".repeat(500), {}).length).toBeLessThan(400);
  });
});
