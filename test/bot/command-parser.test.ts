import { parseCommand, type Command } from "../../bot/commands/command-parser";

const JOB = "3f2b8c1e-6d4a-4c1b-9e2f-0a1b2c3d4e5f";
const USER = "0a0a0a0a-0000-4000-8000-000000000001";

describe("the chat command parser", () => {
  it.each<[string, Command]>([
    ["help", { name: "help" }],
    ["  HELP ", { name: "help" }],
    ["<at>Rewind</at> backups", { name: "backups", page: 1 }],
    ["backups page=3", { name: "backups", page: 3 }],
    ["Backup NOW", { name: "backupNow" }],
    ["diff latest", { name: "diff", backupId: "latest" }],
    ["diff 2026-11-25t02:00:00z type=User,group", { name: "diff", backupId: "2026-11-25T02:00:00Z", types: ["user", "group"] }],
    [`diff latest type=user id=${USER.toUpperCase()} attr=Department,manager`, { name: "diff", backupId: "latest", types: ["user"], ids: [USER], attributes: ["department", "manager"] }],
    ["jobs", { name: "jobs", page: 1 }],
    ["jobs backup=2026-11-25T02:00:00Z page=2", { name: "jobs", backupId: "2026-11-25T02:00:00Z", page: 2 }],
    [`job ${JOB}`, { name: "job", jobId: JOB }],
    [`changes ${JOB} type=servicePrincipal action=SOFTDELETE page=4`, { name: "changes", jobId: JOB, type: "servicePrincipal", action: "softDelete", page: 4 }],
    [`changes ${JOB} outcome=Failed`, { name: "changes", jobId: JOB, outcome: "failed", page: 1 }],
    [`recover ${JOB}`, { name: "recover", reportId: JOB }],
    [`recover ${JOB} type=Group id=${USER.toUpperCase()}`, { name: "recover", reportId: JOB, types: ["group"], ids: [USER] }],
    [`recover ${JOB} type=user,application`, { name: "recover", reportId: JOB, types: ["user", "application"] }],
    [`cancel ${JOB}`, { name: "cancel", jobId: JOB }],
    ["whoami", { name: "whoami" }],
    ["diff&nbsp;latest", { name: "diff", backupId: "latest" }],
  ])("reads %p", (text, expected) => {
    expect(parseCommand(text)).toEqual({ ok: true, command: expected });
  });

  it.each<[string, RegExp, RegExp]>([
    ["", /empty/, /help/],
    ["restore everything", /"restore" is not a Rewind command/, /diff <backupId\|latest>/],
    ["backup", /needs "now"/, /backup now/],
    ["backup later", /only "now"/, /backup now/],
    ["diff", /needs a backup id/, /diff </],
    ["diff latest yesterday", /one backup id/, /diff </],
    ["diff 2026-11-25", /not a backup id/, /diff </],
    ["diff 2026-11-25T02:00:00.123Z", /not a backup id/, /diff </],
    ["diff latest type=printer", /Unknown object type "printer"/, /diff </],
    ["diff latest type=user,,group", /empty item/, /diff </],
    [`diff latest id=${USER}`, /exactly one type=/, /diff </],
    [`diff latest type=user,group id=${USER}`, /exactly one type=/, /diff </],
    ["diff latest id=bob", /not an object id/, /diff </],
    ["diff latest type=user type=group", /given twice/, /diff </],
    ["diff latest type=", /has no value/, /diff </],
    ["jobs owner=me", /Unknown option "owner="/, /jobs \[backup=/],
    ["jobs backup=tuesday", /not a backup id/, /jobs /],
    ["jobs page=-1", /page must be/, /jobs /],
    ["job", /needs a job id/, /job <jobId>/],
    ["job 42", /not a job id/, /job <jobId>/],
    [`job ${JOB} ${JOB}`, /takes one id/, /job <jobId>/],
    [`changes ${JOB} action=delete`, /Unknown action "delete"/, /changes </],
    [`changes ${JOB} outcome=done`, /Unknown outcome "done"/, /changes </],
    [`changes ${JOB} page=1.5`, /page must be/, /changes </],
    ["recover", /needs a difference report's job id/, /recover </],
    [`recover ${JOB} id=${USER}`, /exactly one type=/, /recover </],
    [`recover ${JOB} type=group id=bob`, /not an object id/, /recover </],
    [`recover ${JOB} attr=department`, /Unknown option "attr="/, /recover </],
    [`recover ${JOB} ${JOB}`, /takes one report id/, /recover </],
    ["whoami now", /takes nothing after it/, /whoami/],
  ])("refuses %p, saying what was wrong and the usage", (text, error, usage) => {
    const result = parseCommand(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.error).toMatch(error);
    expect(result.problem.usage).toMatch(usage);
  });

  it("refuses an oversized message", () => {
    const result = parseCommand(`diff latest ${"x".repeat(40_001)}`);
    expect(result).toMatchObject({ ok: false, problem: { error: expect.stringMatching(/too long/) } });
  });
});
