import {
  BACKUPS_PER_PAGE,
  CHANGES_PER_PAGE,
  COMMAND_USAGE,
  backupListView,
  backupResultView,
  changesPageView,
  errorView,
  helpView,
  jobProgressView,
  jobsListView,
  noticeView,
  recoveryConfirmationView,
  recoveryResultView,
  reportSummaryView,
  whoAmIView,
  type AdaptiveCard,
} from "../../bot/views";
import { CardTemplateError, cardBytes, renderJobProgressCard, renderTemplate } from "../../cards";
import { ERROR_TEXTS } from "../../core/model/errors";
import type { Change } from "../../core/model/change";
import type { Job } from "../../core/model/job";
import type { RecoveryRequest } from "../../core/model/recovery-request";
import { z } from "zod";
import { buttons, cardProblems, findActions, texts } from "./card-checks";
import * as F from "./fixtures";

/** Every view, with realistic data and with the largest realistic data. */
const CASES: readonly (readonly [kind: string, variant: string, render: () => AdaptiveCard])[] = [
  ["help", "only", () => helpView()],
  ["notice", "realistic", () => noticeView({ title: "Wrong tenant", text: "Rewind serves only its own tenant.", style: "attention" })],
  ["notice", "default style", () => noticeView({ title: "Hello", text: "Type help to see the commands." })],
  ["whoAmI", "no role", () => whoAmIView({ userId: F.ADA, tenantId: F.TENANT, roles: [], permissions: [] })],
  ["whoAmI", "all roles, long name", () => whoAmIView({ userId: F.ADA, name: F.LONG_NAME, tenantId: F.TENANT, roles: F.ALL_ROLES, permissions: F.ALL_PERMISSIONS })],
  ["error", "404", () => errorView({ status: 404, message: ERROR_TEXTS.unknownJob, nextStep: "List the jobs to see the ids that exist." })],
  [
    "error",
    "largest",
    () =>
      errorView({
        status: 400,
        message: `${ERROR_TEXTS.changesNotReady(F.REPORT_ID)} ${F.LONG_GRAPH_MESSAGE}`,
        nextStep: "Wait for the job to finish, then ask again. ".repeat(10),
        usage: COMMAND_USAGE.changes.usage,
        back: { title: "Back to the job", verb: "job.refresh", data: { jobId: F.REPORT_ID } },
      }),
  ],
  ["backupList", "early days", () => backupListView(F.backupList(3, false, F.RETENTION_NOTE), F.SMALL_CTX, { page: 1 })],
  ["backupList", "empty", () => backupListView(F.backupList(0), F.SMALL_CTX, { page: 1 })],
  ["backupList", "365 backups, page 1, notice", () => backupListView(F.backupList(365, true, F.RETENTION_NOTE), F.LARGE_CTX, { page: 1, notice: "Backup 2026-11-25T02:00:00Z completed. ".repeat(5) })],
  ["backupList", "365 backups, last page", () => backupListView(F.backupList(365, true), F.LARGE_CTX, { page: 37 })],
  ["backupResult", "running", () => backupResultView({ state: "running", requestedBy: F.ADA }, F.SMALL_CTX)],
  ["backupResult", "completed", () => backupResultView({ state: "completed", summary: F.ON_DEMAND_BACKUP, requestedBy: F.ADA }, F.SMALL_CTX)],
  ["backupResult", "completed, largest", () => backupResultView({ state: "completed", summary: F.bigBackup(0), requestedBy: F.ADA }, F.LARGE_CTX)],
  ["backupResult", "failed, long error", () => backupResultView({ state: "failed", error: F.LONG_GRAPH_MESSAGE, requestedBy: F.ADA }, F.LARGE_CTX)],
  ["jobProgress", "report calculating", () => jobProgressView(F.runningJob("differenceReport"), F.SMALL_CTX, { canCancel: true })],
  ["jobProgress", "report queued", () => jobProgressView(F.runningJob("differenceReport", { state: "queued", progress: { done: 0, total: null, estimatedCompletionAt: null } }), F.SMALL_CTX, { canCancel: true })],
  [
    "jobProgress",
    "recovery running, cancel requested, restarted, largest",
    () => jobProgressView(F.runningJob("recovery", { cancelRequested: true, cancelRequestedBy: F.BEN, progress: { done: 1, total: 3_000_000, estimatedCompletionAt: "2026-11-26T09:00:00Z" } }, true), F.LARGE_CTX, { canCancel: true, attempts: 3 }),
  ],
  ["jobProgress", "report failed, long error", () => jobProgressView(F.reportJob({ state: "failed", error: F.LONG_GRAPH_MESSAGE.repeat(3) }, true), F.LARGE_CTX, { canCancel: true })],
  ["jobProgress", "recovery canceled", () => jobProgressView(F.recoveryJob({ state: "canceled" }), F.SMALL_CTX, { canCancel: true })],
  ["reportSummary", "realistic", () => reportSummaryView(F.reportJob(), F.smallChanges(5), F.SMALL_CTX, { canRecover: true })],
  ["reportSummary", "no changes", () => reportSummaryView(F.reportJob({ summary: { total: 0, notRecoverable: 0, byType: {}, links: 0, excluded: {}, digest: "d".repeat(64) } }), [], F.SMALL_CTX, { canRecover: true })],
  ["reportSummary", "largest", () => reportSummaryView(F.reportJob({}, true), F.largeChanges(5), F.LARGE_CTX, { canRecover: true })],
  ["changesPage", "report page 1", () => changesPageView({ job: F.reportJob(), page: 1, hasNext: true, changes: F.smallChanges(CHANGES_PER_PAGE), filters: {} }, F.SMALL_CTX)],
  [
    "changesPage",
    "report, largest, filtered, middle page",
    () => changesPageView({ job: F.reportJob({}, true), page: 99_999, hasNext: true, changes: F.largeChanges(CHANGES_PER_PAGE), filters: { type: "servicePrincipal", action: "softDelete" } }, F.LARGE_CTX),
  ],
  ["changesPage", "report, empty", () => changesPageView({ job: F.reportJob(), page: 1, hasNext: false, changes: [], filters: { type: "group" } }, F.SMALL_CTX)],
  ["changesPage", "recovery outcomes", () => changesPageView({ job: F.recoveryJob(), page: 2, hasNext: false, outcomes: F.OUTCOMES, filters: {} }, F.SMALL_CTX)],
  [
    "changesPage",
    "recovery outcomes, largest",
    () => changesPageView({ job: F.recoveryJob({}, true), page: 3, hasNext: true, outcomes: F.largeOutcomes(F.largeChanges(CHANGES_PER_PAGE)), filters: { outcome: "failed" } }, F.LARGE_CTX),
  ],
  [
    "recoveryConfirmation",
    "pending, approver",
    () =>
      recoveryConfirmationView(
        {
          request: F.recoveryRequest(),
          report: F.reportJob(),
          excluded: F.smallChanges(5).filter((c) => !c.recoverable),
          viewer: "approver",
          approverChannelIds: F.channelIds(3),
          sensitive: F.SENSITIVE,
          running: null,
          requireSecondApprover: true,
          canCancel: true,
        },
        F.SMALL_CTX,
      ),
  ],
  [
    "recoveryConfirmation",
    "pending while a report runs, requester",
    () =>
      recoveryConfirmationView(
        {
          request: F.recoveryRequest(),
          report: F.reportJob(),
          excluded: [],
          viewer: "requester",
          approverChannelIds: F.channelIds(3),
          sensitive: [],
          running: F.runningJob("differenceReport"),
          requireSecondApprover: false,
          canCancel: true,
        },
        F.SMALL_CTX,
      ),
  ],
  [
    "recoveryConfirmation",
    "pending, approver, largest",
    () =>
      recoveryConfirmationView(
        {
          request: F.recoveryRequest({}, true),
          report: F.reportJob({}, true),
          excluded: F.largeChanges(10).filter((c) => !c.recoverable),
          viewer: "approver",
          approverChannelIds: F.channelIds(200),
          sensitive: F.largeSensitiveChanges(10),
          running: F.runningJob("recovery", {}, true),
          requireSecondApprover: true,
          canCancel: true,
        },
        F.LARGE_CTX,
      ),
  ],
  [
    "recoveryConfirmation",
    "rejected with a long reason, largest",
    () =>
      recoveryConfirmationView(
        {
          request: F.recoveryRequest({ state: "rejected", decidedBy: F.BEN, decidedAt: "2026-11-25T09:12:40Z", reason: F.LONG_GRAPH_MESSAGE }, true),
          report: F.reportJob({}, true),
          excluded: F.largeChanges(10).filter((c) => !c.recoverable),
          viewer: "viewer",
          approverChannelIds: [],
          sensitive: F.largeSensitiveChanges(10),
          running: F.runningJob("differenceReport", {}, true),
          requireSecondApprover: true,
          canCancel: true,
        },
        F.LARGE_CTX,
      ),
  ],
  ["recoveryResult", "completed with warnings", () => recoveryResultView({ job: F.recoveryJob(), failed: F.FAILED, hasMoreFailed: false }, F.SMALL_CTX)],
  ["recoveryResult", "succeeded", () => recoveryResultView({ job: F.recoveryJob({ state: "succeeded", outcomes: { total: 23, applied: 23, failed: 0, skipped: 0 } }), failed: [], hasMoreFailed: false }, F.SMALL_CTX)],
  ["recoveryResult", "largest", () => recoveryResultView({ job: F.recoveryJob({}, true), failed: F.failedOutcomes(CHANGES_PER_PAGE, true), hasMoreFailed: true }, F.LARGE_CTX)],
  ["recoveryResult", "failed, long error", () => recoveryResultView({ job: F.recoveryJob({ state: "failed", error: F.LONG_GRAPH_MESSAGE.repeat(3) }, true), failed: F.failedOutcomes(CHANGES_PER_PAGE, true), hasMoreFailed: true }, F.LARGE_CTX)],
  ["jobsList", "realistic", () => jobsListView({ jobs: F.jobsPage(4, false), page: 1, hasNext: false }, F.SMALL_CTX)],
  ["jobsList", "empty for a backup", () => jobsListView({ jobs: [], backupId: "2026-11-24T02:00:00Z", page: 1, hasNext: false }, F.SMALL_CTX)],
  ["jobsList", "largest", () => jobsListView({ jobs: F.jobsPage(10, true), backupId: "2026-11-24T02:00:00Z", page: 2, hasNext: true }, F.LARGE_CTX)],
];

const largest = new Map<string, { variant: string; bytes: number }>();

afterAll(() => {
  const rows = [...largest].map(([kind, { variant, bytes }]) => `${kind.padEnd(22)} ${String(bytes).padStart(6)} B  (${variant})`);
  process.stdout.write(`\nLargest card of each kind (limit ${28 * 1024} B):\n${rows.join("\n")}\n`);
});

describe.each(CASES)("%s view (%s)", (kind, variant, render) => {
  test("is a valid 1.5 card under 28 KB, fully expanded, with only Action.Execute buttons of known verbs and valid data", () => {
    const card = render();
    expect(cardProblems(card)).toEqual([]);
    const bytes = cardBytes(card);
    if ((largest.get(kind)?.bytes ?? 0) < bytes) largest.set(kind, { variant, bytes });
  });
  test("is pure: the same data gives the same card", () => {
    expect(JSON.stringify(render())).toBe(JSON.stringify(render()));
  });
});

const titles = (card: AdaptiveCard): string[] => [...buttons(card).keys()];
const joined = (card: AdaptiveCard): string => texts(card).join("\n");

describe("the card checks themselves", () => {
  test("catch what they are meant to catch", () => {
    const bad = {
      type: "AdaptiveCard",
      version: "1.4",
      body: [{ type: "TextBlock", text: "${missing}" }, { type: "Container", items: [] }, { type: "Bogus" }],
      actions: [
        { type: "Action.Submit", title: "Old", data: {} },
        { type: "Action.Execute", title: "Bad verb", verb: "nope", data: {} },
        { type: "Action.Execute", title: "Bad data", verb: "job.refresh", data: { jobId: "x" } },
      ],
      padding: "x".repeat(30_000),
    };
    const problems = cardProblems(bad).join("\n");
    for (const expected of ["version is 1.4", "bytes", "unexpanded", "empty Container", "Unknown element type", "Action.Submit", "verb nope", "jobId"]) {
      expect(problems).toContain(expected);
    }
  });
});

describe("rendering", () => {
  test("a template that names data it was not given throws instead of leaving ${…} in the card", () => {
    const template = { type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: "${missing}" }] };
    expect(() => renderTemplate({ name: "broken", template, schema: z.strictObject({}) }, {})).toThrow(CardTemplateError);
  });
  test("button data that breaks its verb's schema is refused at render time", () => {
    const card = jobProgressView(F.runningJob("recovery"), F.SMALL_CTX, { canCancel: true });
    expect(card).toBeDefined();
    expect(() =>
      renderJobProgressCard({
        title: "t", stateLabel: "s", stateColor: "Default", progressLine: "p", etaLine: "", notes: [], error: "", advice: [],
        facts: [{ title: "a", value: "b" }], refresh: { jobId: "not-a-job-id" }, cancel: null, summary: null, result: null,
      }),
    ).toThrow();
  });
  test("tenant text is shown, never evaluated, and cannot become a link", () => {
    const change = F.smallChange(1, { displayName: "${$root.title} [click me](https://evil.example) <https://evil.example>" });
    const card = changesPageView({ job: F.reportJob(), page: 1, hasNext: false, changes: [change], filters: {} }, F.SMALL_CTX);
    const text = joined(card);
    expect(text).toContain("${$root.title}");
    expect(text).not.toContain("](https://");
    expect(text).not.toContain("<https://");
    expect(text).toContain("click me");
  });
});

describe("help", () => {
  test("lists every command's usage and who may run it, with Backups, Jobs and Who am I buttons", () => {
    const card = helpView();
    const text = joined(card);
    for (const c of Object.values(COMMAND_USAGE)) expect(text).toContain(c.usage);
    expect(text).toContain("Backup Administrator or Global Administrator.");
    expect(titles(card)).toEqual(["Backups", "Jobs", "Who am I"]);
    expect(buttons(card).get("Jobs")).toMatchObject({ verb: "jobs.list", data: {} });
  });
});

describe("backup list", () => {
  const list = F.backupList(365, true);
  test("pages 365 backups ten per card, newest first, with paging only where pages exist", () => {
    const first = backupListView(list, F.SMALL_CTX, { page: 1 });
    const reports = findActions(first).filter((a) => a.action["verb"] === "report.start");
    expect(reports).toHaveLength(BACKUPS_PER_PAGE);
    expect(reports[0]!.action["data"]).toEqual({ backupId: "2026-11-25T02:00:00Z" });
    expect(titles(first)).not.toContain("Newer backups");
    expect(buttons(first).get("Older backups")).toMatchObject({ verb: "backups.list", data: { page: 2 } });
    expect(joined(first)).toContain("page 1 of 37");

    const last = backupListView(list, F.SMALL_CTX, { page: 37 });
    expect(findActions(last).filter((a) => a.action["verb"] === "report.start")).toHaveLength(5);
    expect(titles(last)).not.toContain("Older backups");
    expect(buttons(last).get("Newer backups")).toMatchObject({ data: { page: 36 } });
    // Past the end: the last page.
    expect(JSON.stringify(backupListView(list, F.SMALL_CTX, { page: 500 }))).toBe(JSON.stringify(last));
  });
  test("each backup offers its difference report and its jobs", () => {
    const card = backupListView(F.backupList(2), F.SMALL_CTX, { page: 1 });
    const verbs = findActions(card).map((a) => `${String(a.action["verb"])} ${JSON.stringify(a.action["data"])}`);
    expect(verbs).toEqual([
      'report.start {"backupId":"2026-11-25T08:58:12Z"}',
      'jobs.list {"backupId":"2026-11-25T08:58:12Z"}',
      'report.start {"backupId":"2026-11-25T02:00:00Z"}',
      'jobs.list {"backupId":"2026-11-25T02:00:00Z"}',
    ]);
    expect(joined(card)).toContain("1,204 users (6 soft-deleted)");
  });
  test("explains fewer backups than retention keeps, an empty list, and shows a notice", () => {
    expect(joined(backupListView(F.backupList(2, false, F.RETENTION_NOTE), F.SMALL_CTX, { page: 1 }))).toContain(F.RETENTION_NOTE);
    expect(joined(backupListView(F.backupList(0), F.SMALL_CTX, { page: 1 }))).toContain("No backup has completed yet");
    expect(joined(backupListView(F.backupList(1), F.SMALL_CTX, { page: 1, notice: "Backup taken." }))).toContain("Backup taken.");
  });
});

describe("backup result", () => {
  test("running, completed with a Difference report button, failed with the error and what to do", () => {
    expect(joined(backupResultView({ state: "running", requestedBy: F.ADA }, F.SMALL_CTX))).toContain("Requested by Ada Admin");
    const done = backupResultView({ state: "completed", summary: F.ON_DEMAND_BACKUP, requestedBy: F.ADA }, F.SMALL_CTX);
    expect(joined(done)).toContain("Backup 2026-11-25T08:58:12Z completed");
    expect(buttons(done).get("Difference report")).toMatchObject({ verb: "report.start", data: { backupId: "2026-11-25T08:58:12Z" } });
    const failed = backupResultView({ state: "failed", error: "Graph said no.", requestedBy: F.NAMELESS }, F.SMALL_CTX);
    expect(joined(failed)).toContain("Graph said no.");
    expect(joined(failed)).toContain(F.NAMELESS);
    expect(titles(failed)).not.toContain("Difference report");
  });
});

describe("job progress", () => {
  const running = F.runningJob("differenceReport");
  test("shows kind, state, percent and time left", () => {
    const text = joined(jobProgressView(running, F.SMALL_CTX, { canCancel: false }));
    expect(text).toContain("Difference report: Calculating");
    expect(text).toContain("45% · 740 of 1,616 objects");
    expect(text).toContain("About 1 min left (estimated completion 2026-11-25 09:31 UTC)");
    expect(text).toContain("Gil Global");
  });
  test("a queued job says when it starts, without claiming another job is running", () => {
    const queued = F.runningJob("differenceReport", { state: "queued", progress: { done: 0, total: null, estimatedCompletionAt: null } });
    const text = joined(jobProgressView(queued, F.SMALL_CTX, { canCancel: true }));
    expect(text).toContain("Queued: it starts in a few seconds, or when the job now running ends (one difference report or recovery job runs at a time).");
    expect(joined(jobProgressView(running, F.SMALL_CTX, { canCancel: true }))).not.toContain("Queued:");
  });
  test("shows — while the total is unknown", () => {
    const job = F.runningJob("differenceReport", { state: "loadingData", progress: { done: 10, total: null, estimatedCompletionAt: null } });
    expect(joined(jobProgressView(job, F.SMALL_CTX, { canCancel: false }))).toContain("Progress: —");
  });
  test.each([
    [running, true, true],
    [running, false, false],
    [F.runningJob("recovery", { cancelRequested: true, cancelRequestedBy: F.BEN }), true, false],
    [F.reportJob(), true, false],
    [F.recoveryJob({ state: "canceled" }), true, false],
  ] as const)("Cancel is offered only to those allowed, while running and not yet asked (%#)", (job, canCancel, expected) => {
    const card = jobProgressView(job, F.SMALL_CTX, { canCancel });
    expect(titles(card).includes("Cancel")).toBe(expected);
    expect(buttons(card).get("Refresh")).toMatchObject({ verb: "job.refresh", data: { jobId: job.id } });
    if (expected) expect(buttons(card).get("Cancel")).toMatchObject({ verb: "job.cancel", data: { jobId: job.id } });
  });
  test("a cancel asked for is shown with who asked", () => {
    const job = F.runningJob("recovery", { cancelRequested: true, cancelRequestedBy: F.BEN });
    expect(joined(jobProgressView(job, F.SMALL_CTX, { canCancel: true }))).toContain("Cancel requested by Ben Second; stopping at the next safe point.");
  });
  test("a restarted job says so", () => {
    expect(joined(jobProgressView(F.runningJob("recovery"), F.SMALL_CTX, { canCancel: true, attempts: 2 }))).toContain("attempt 2");
  });
  test("ended: Show summary for a report, Show result for a recovery", () => {
    expect(buttons(jobProgressView(F.reportJob(), F.SMALL_CTX, { canCancel: true })).get("Show summary")).toMatchObject({ verb: "report.summary", data: { jobId: F.REPORT_ID } });
    expect(buttons(jobProgressView(F.recoveryJob(), F.SMALL_CTX, { canCancel: true })).get("Show result")).toMatchObject({ verb: "recovery.result", data: { jobId: F.RECOVERY_ID } });
    expect(titles(jobProgressView(running, F.SMALL_CTX, { canCancel: true }))).not.toContain("Show summary");
  });
  test("failed: the error and the troubleshooting advice", () => {
    const card = jobProgressView(F.reportJob({ state: "failed", error: "Graph returned 503 three times." }), F.SMALL_CTX, { canCancel: true });
    const text = joined(card);
    expect(text).toContain("Graph returned 503 three times.");
    expect(text).toContain("narrower scope");
    expect(text).toContain("no other difference report or recovery job is running");
    expect(titles(card)).not.toContain("Show summary");
  });
});

describe("report summary", () => {
  test("totals, counts by type and action, exclusions by reason, first changes", () => {
    const card = reportSummaryView(F.reportJob(), F.smallChanges(8), F.SMALL_CTX, { canRecover: true });
    const text = joined(card);
    expect(text).toContain("23 changes: 21 can be recovered, 2 cannot");
    expect(text).toContain("Users");
    expect(text).toContain("Conditional Access policies");
    expect(text).toContain("1 change is synchronized from on-premises Active Directory");
    expect(text).toContain("1 change was deleted permanently");
    expect(text).toContain("First 5 changes of 23");
    expect(text).toContain("Pradeep Gupta");
    expect(text).not.toContain("Lee Gu");
    expect(text).toContain("Cannot be recovered (deleted permanently)");
    expect(buttons(card).get("Show changes")).toMatchObject({ verb: "report.changes", data: { jobId: F.REPORT_ID } });
    expect(buttons(card).get("Recover…")).toMatchObject({ verb: "recovery.request", data: { reportId: F.REPORT_ID } });
  });
  test("Recover… only for those allowed, and only when something can be recovered", () => {
    expect(titles(reportSummaryView(F.reportJob(), [], F.SMALL_CTX, { canRecover: false }))).not.toContain("Recover…");
    const nothing = F.reportJob({ summary: { total: 3, notRecoverable: 3, byType: { user: { update: 3 } }, links: 0, excluded: { synced: 3 } } });
    expect(titles(reportSummaryView(nothing, [], F.SMALL_CTX, { canRecover: true }))).not.toContain("Recover…");
  });
  test("zero changes are explained, with nothing to show or recover", () => {
    const card = reportSummaryView(F.reportJob({ summary: { total: 0, notRecoverable: 0, byType: {}, links: 0 } }), [], F.SMALL_CTX, { canRecover: true });
    expect(joined(card)).toContain("There are no differences between backup 2026-11-24T02:00:00Z and the tenant now");
    expect(titles(card)).toEqual(["Reports of this backup"]);
  });
  test("a report that did not succeed shows its state instead", () => {
    const card = reportSummaryView(F.reportJob({ state: "failed", error: "boom" }), [], F.SMALL_CTX, { canRecover: true });
    expect(joined(card)).toContain("Difference report: Failed");
  });
});

describe("changes page", () => {
  test("each change: name, type, id, action, state, properties backup → now, links with counts", () => {
    // Megan Bowen, with a list-valued property too and a manager set since whose name the report does not know.
    const [megan, ...rest] = F.smallChanges(6);
    const [manager] = megan!.deltaFromCurrent.links;
    const varied = F.smallChange(1, {
      deltaFromCurrent: {
        properties: [...megan!.deltaFromCurrent.properties, { name: "businessPhones", backupValue: ["+1 425 555 0109"], currentValue: [] }],
        links: [{ ...manager!, names: { [F.objectId(3)]: "Nestor Wilke" } }],
      },
    });
    const card = changesPageView({ job: F.reportJob(), page: 1, hasNext: false, changes: [varied, ...rest], filters: {} }, F.SMALL_CTX);
    const text = joined(card);
    expect(text).toContain("Megan Bowen");
    expect(text).toContain(`user · update · exists now · id ${F.objectId(17)}`);
    expect(text).toContain("Marketing Manager → Intern");
    expect(text).toContain("Marketing → (none)");
    expect(text).toContain('["+1 425 555 0109"] → []');
    // Link targets by name where the report knows it, else by id.
    expect(text).toContain(`manager: re-add 1, remove 1 (re-add Nestor Wilke; remove ${F.objectId(41)})`);
    expect(text).toContain("Cannot be recovered (synchronized from on-premises AD)");
  });
  test("a restore names the objects that linked to it, where the report knows them", () => {
    const restore = F.smallChange(1, {
      recoveryAction: "restore",
      currentState: "softDeleted",
      deltaFromCurrent: { properties: [], links: [] },
      incomingLinks: [
        { type: "group", id: F.objectId(188), link: "members", name: "Finance Approvers" },
        { type: "group", id: F.objectId(219), link: "members" },
        { type: "user", id: F.objectId(3), link: "manager", name: "Nestor Wilke" },
        { type: "user", id: F.objectId(131), link: "manager", name: "Lee Gu" },
      ],
    });
    const text = joined(changesPageView({ job: F.reportJob(), page: 1, hasNext: false, changes: [restore], filters: {} }, F.SMALL_CTX));
    expect(text).toContain(`Linked from 4 objects in the backup (members ×2, manager ×2: Finance Approvers, ${F.objectId(219)}, Nestor Wilke, …): recovery re-adds any the restore does not bring back.`);
  });
  test("the largest page stays whole: every change, counts of the rest, link totals, incoming links", () => {
    const card = changesPageView({ job: F.reportJob({}, true), page: 4, hasNext: true, changes: F.largeChanges(CHANGES_PER_PAGE), filters: {} }, F.LARGE_CTX);
    const text = joined(card);
    expect(text.match(/group · restore · soft-deleted now/g)).toHaveLength(CHANGES_PER_PAGE);
    expect(text).toMatch(/and \d\d more properties/);
    expect(text).toContain("members: re-add 1,000, remove 1,000");
    expect(text).toContain("Linked from 300 objects in the backup (owners ×150, members ×150");
  });
  test("paging keeps the filters, and appears only where pages exist", () => {
    const filters = { type: "user", action: "update" } as const;
    const middle = changesPageView({ job: F.reportJob(), page: 3, hasNext: true, changes: F.smallChanges(10), filters }, F.SMALL_CTX);
    expect(buttons(middle).get("Previous")).toMatchObject({ verb: "changes.page", data: { jobId: F.REPORT_ID, page: 2, type: "user", action: "update" } });
    expect(buttons(middle).get("Next")).toMatchObject({ verb: "changes.page", data: { jobId: F.REPORT_ID, page: 4, type: "user", action: "update" } });
    expect(joined(middle)).toContain("filtered by type=user, action=update");
    const only = changesPageView({ job: F.reportJob(), page: 1, hasNext: false, changes: F.smallChanges(3), filters: {} }, F.SMALL_CTX);
    expect(titles(only)).toEqual(["Summary"]);
    expect(buttons(only).get("Summary")).toMatchObject({ verb: "report.summary", data: { jobId: F.REPORT_ID } });
  });
  test("a recovery's outcomes: applied, failed with Graph's message, skipped with the reason; back to Result", () => {
    const card = changesPageView({ job: F.recoveryJob(), page: 1, hasNext: false, outcomes: F.OUTCOMES, filters: {} }, F.SMALL_CTX);
    const text = joined(card);
    expect(text).toContain(`Failed: ${F.GRAPH_FAILURE}`);
    expect(text).toContain("Skipped: The object already matches the backup.");
    expect(text).toContain("Applied");
    expect(titles(card)).toEqual(["Result"]);
    expect(buttons(card).get("Result")).toMatchObject({ verb: "recovery.result", data: { jobId: F.RECOVERY_ID } });
  });
  test("an empty page says why", () => {
    const card = changesPageView({ job: F.reportJob(), page: 1, hasNext: false, changes: [], filters: { type: "group" } }, F.SMALL_CTX);
    expect(joined(card)).toContain("No changes match these filters.");
  });
});

describe("recovery confirmation", () => {
  const report = F.reportJob();
  const view = (
    request: RecoveryRequest,
    viewer: "approver" | "requester" | "viewer",
    ids = F.channelIds(3),
    more: { sensitive?: Change[]; running?: Job | null; requireSecondApprover?: boolean; report?: Job; canCancel?: boolean } = {},
  ) =>
    recoveryConfirmationView(
      {
        request,
        report: more.report ?? report,
        excluded: F.smallChanges(10).filter((c) => !c.recoverable),
        viewer,
        approverChannelIds: ids,
        sensitive: more.sensitive ?? [],
        running: more.running ?? null,
        requireSecondApprover: more.requireSecondApprover ?? true,
        canCancel: more.canCancel ?? viewer !== "viewer",
      },
      F.SMALL_CTX,
    );
  const pending = F.recoveryRequest();
  const decided: readonly (readonly [string, RecoveryRequest])[] = [
    ["approved", F.recoveryRequest({ state: "approved", decidedBy: F.BEN, decidedAt: "2026-11-25T09:12:40Z", recoveryJobId: F.RECOVERY_ID })],
    ["rejected", F.recoveryRequest({ state: "rejected", decidedBy: F.BEN, decidedAt: "2026-11-25T09:12:40Z", reason: "Not during the freeze." })],
    ["expired", F.recoveryRequest({ expiresAt: "2026-11-25T09:29:59Z" })],
    ["withdrawn", F.recoveryRequest({ state: "withdrawn" })],
  ];

  test("an approver sees Approve and Reject while pending, bound to the request, report and digest", () => {
    const card = view(pending, "approver");
    const data = { requestId: F.REQUEST_ID, reportId: F.REPORT_ID, digest: pending.digest };
    expect(buttons(card).get("Approve")).toMatchObject({ verb: "recovery.approve", data, style: "positive" });
    expect(buttons(card).get("Reject")).toMatchObject({ verb: "recovery.reject", data, style: "destructive" });
    expect(card["refresh"]).toEqual({ action: { type: "Action.Execute", verb: "recovery.view", data }, userIds: F.channelIds(3) });
  });
  test.each(["requester", "viewer"] as const)("a %s sees no Approve or Reject, only a re-check, and the card still refreshes per approver", (viewer) => {
    const card = view(pending, viewer);
    expect(titles(card)).toEqual(["Check my options"]);
    expect(findActions(card).map((a) => a.action["verb"])).toEqual(["recovery.view", "recovery.view"]);
    expect(card["refresh"]).toMatchObject({ userIds: F.channelIds(3) });
  });
  test("the requester is told to wait for another administrator", () => {
    expect(joined(view(pending, "requester"))).toContain("Waiting for another administrator");
  });
  test("says who may approve: another administrator by default, or anyone with the role when the tenant allows self-approval", () => {
    expect(joined(view(pending, "viewer"))).toContain("A Backup Administrator or Global Administrator other than Ada Admin");
    const single = joined(view(pending, "requester", F.channelIds(3), { requireSecondApprover: false }));
    expect(single).toContain("Ada Admin included");
    expect(single).toContain("Waiting for an administrator (you included)");
  });
  test("lists security-sensitive changes with their reasons, and counts all of them", () => {
    const flagged = F.SENSITIVE;
    const card = joined(view(pending, "approver", F.channelIds(3), { sensitive: flagged, report: F.reportJob({ summary: { ...F.reportJob().summary!, sensitive: 7 } }) }));
    expect(card).toContain("Security-sensitive: 7 changes weaken or widen the tenant's security");
    expect(card).toContain("Re-enables a disabled account: it can sign in again.");
    expect(joined(view(pending, "approver"))).not.toContain("Security-sensitive");
  });
  test("while another job holds the slot: who started it and since when, with Cancel for those who may cancel jobs", () => {
    const running = F.runningJob("differenceReport", { requestedBy: F.GIL });
    for (const viewer of ["approver", "requester"] as const) {
      const card = view(pending, viewer, F.channelIds(3), { running });
      expect(joined(card)).toContain("A difference report holds the tenant's job slot");
      expect(joined(card)).toContain("Started by Gil Global");
      expect(buttons(card).get("Cancel the running job")).toMatchObject({ verb: "job.cancel", data: { jobId: running.id } });
    }
    const reader = view(pending, "viewer", F.channelIds(3), { running });
    expect(joined(reader)).toContain("Started by Gil Global");
    expect(titles(reader)).not.toContain("Cancel the running job");
    // Once decided, the request no longer waits for anything.
    const approved = F.recoveryRequest({ state: "approved", decidedBy: F.BEN, decidedAt: "2026-11-25T09:12:40Z", recoveryJobId: F.RECOVERY_ID });
    expect(joined(view(approved, "approver", F.channelIds(3), { running }))).not.toContain("holds the tenant's job slot");
  });
  test("refresh names at most 60 users", () => {
    const refresh = view(pending, "approver", F.channelIds(75))["refresh"] as { userIds: string[] };
    expect(refresh.userIds).toEqual(F.channelIds(60));
  });
  test.each(decided)("once %s: no buttons for anyone and no refresh", (state, request) => {
    for (const viewer of ["approver", "requester", "viewer"] as const) {
      const card = view(request, viewer);
      expect(titles(card)).toEqual([]);
      expect(card["refresh"]).toBeUndefined();
      expect(joined(card).toLowerCase()).toContain(state);
    }
  });
  test("the decision is shown with who, when and why", () => {
    expect(joined(view(decided[0]![1], "viewer"))).toContain(`Approved by Ben Second at 2026-11-25 09:12 UTC`);
    expect(joined(view(decided[0]![1], "viewer"))).toContain(F.RECOVERY_ID);
    expect(joined(view(decided[1]![1], "viewer"))).toContain("Rejected by Ben Second at 2026-11-25 09:12 UTC: Not during the freeze.");
  });
  test("what will be done, in order, and what is left out and why", () => {
    const text = joined(view(pending, "approver"));
    expect(text).toContain("The report lists 23 changes: 3 to restore, 17 to update, 3 to soft-delete, with 31 link changes.");
    expect(text).toContain("2 of them cannot be recovered and are left out (below), so at most 21 changes are written.");
    expect(text).toContain("restores, then property updates, then links, then soft-deletes");
    expect(text).toContain("never overwritten");
    expect(text).toContain("synchronized from on-premises Active Directory: fix it there");
    expect(text).toContain("re-create it by hand");
    // The morning has no change of an unsupported kind; a report with one says why it is left out.
    const withUnsupported = F.reportJob({ summary: { ...F.reportJob().summary!, notRecoverable: 3, excluded: { synced: 1, hardDeleted: 1, unsupported: 1 } } });
    expect(joined(view(pending, "approver", F.channelIds(3), { report: withUnsupported }))).toContain("Rewind never deletes permanently");
    expect(text).toContain("Pradeep Gupta (user)");
    expect(text).toContain("Expires at");
  });
});

describe("recovery result", () => {
  test("counts, failed changes with Graph's message, advice, and the outcome buttons", () => {
    const card = recoveryResultView({ job: F.recoveryJob(), failed: F.FAILED, hasMoreFailed: false }, F.SMALL_CTX);
    const text = joined(card);
    expect(text).toContain("Completed with warnings");
    expect(text).toContain("19 applied, 1 failed, 3 skipped of 23 changes");
    expect(text).toContain(F.GRAPH_FAILURE);
    expect(text).toContain("Approved by");
    expect(text).toContain("Ben Second");
    expect(text).toContain("Retry recovery with a narrower scope");
    expect(text).toContain("Re-create by hand any link");
    expect(buttons(card).get("Failed changes")).toMatchObject({ verb: "changes.page", data: { jobId: F.RECOVERY_ID, page: 1, outcome: "failed" } });
    expect(buttons(card).get("Skipped")).toMatchObject({ verb: "changes.page", data: { jobId: F.RECOVERY_ID, page: 1, outcome: "skipped" } });
    expect(buttons(card).get("All outcomes")).toMatchObject({ verb: "changes.page", data: { jobId: F.RECOVERY_ID, page: 1 } });
  });
  test("with more failures than shown, Failed changes opens the second page", () => {
    const card = recoveryResultView({ job: F.recoveryJob(), failed: F.failedOutcomes(10, false), hasMoreFailed: true }, F.SMALL_CTX);
    expect(buttons(card).get("Failed changes")).toMatchObject({ data: { page: 2, outcome: "failed" } });
  });
  test("no failures and nothing skipped: only All outcomes", () => {
    const job = F.recoveryJob({ state: "succeeded", outcomes: { total: 5, applied: 5, failed: 0, skipped: 0 } });
    expect(titles(recoveryResultView({ job, failed: [], hasMoreFailed: false }, F.SMALL_CTX))).toEqual(["All outcomes"]);
  });
  test("canceled: what was applied stays applied; running: still running with Refresh", () => {
    expect(joined(recoveryResultView({ job: F.recoveryJob({ state: "canceled" }), failed: [], hasMoreFailed: false }, F.SMALL_CTX))).toContain("stay applied");
    const running = recoveryResultView({ job: F.runningJob("recovery"), failed: [], hasMoreFailed: false }, F.SMALL_CTX);
    expect(joined(running)).toContain("Still running");
    expect(titles(running)).toContain("Refresh");
  });
});

describe("jobs list", () => {
  test("each job with kind, state, backup, creator and an Open button; paging keeps the backup", () => {
    const jobs: Job[] = F.jobsPage(10, false);
    const card = jobsListView({ jobs, backupId: "2026-11-24T02:00:00Z", page: 2, hasNext: true }, F.SMALL_CTX);
    const opens = findActions(card).filter((a) => a.action["title"] === "Open");
    expect(opens.map((a) => (a.action["data"] as { jobId: string }).jobId)).toEqual(jobs.map((j) => j.id));
    const text = joined(card);
    expect(text).toContain("Reports and recoveries of backup 2026-11-24T02:00:00Z");
    expect(text).toContain("Recovery job · backup 2026-11-24T02:00:00Z");
    expect(text).toContain("Completed with warnings");
    expect(text).toContain("Calculating · 45% · 740 of 1,616 objects");
    expect(text).toContain("by Ada Admin");
    expect(buttons(card).get("Newer jobs")).toMatchObject({ verb: "jobs.list", data: { backupId: "2026-11-24T02:00:00Z", page: 1 } });
    expect(buttons(card).get("Older jobs")).toMatchObject({ verb: "jobs.list", data: { backupId: "2026-11-24T02:00:00Z", page: 3 } });
    expect(buttons(card).get("All jobs")).toMatchObject({ verb: "jobs.list", data: {} });
  });
  test("no paging on a single page, and an empty list explains retention", () => {
    const card = jobsListView({ jobs: [], page: 1, hasNext: false }, F.SMALL_CTX);
    expect(titles(card)).toEqual(["Backups"]);
    expect(joined(card)).toContain("kept for five days after they complete");
  });
});

describe("error", () => {
  const texts5: readonly (readonly [number, string, string])[] = [
    [404, ERROR_TEXTS.unknownBackup, "Not found"],
    [404, ERROR_TEXTS.unknownJob, "Not found"],
    [409, ERROR_TEXTS.jobInProgress, "Busy"],
    [400, ERROR_TEXTS.changesNotReady(F.REPORT_ID), "That didn't work"],
    [403, ERROR_TEXTS.forbidden, "Not allowed"],
    [412, "This approval is out of date.", "This card is out of date"],
    [503, "Something failed.", "Something went wrong"],
  ];
  test.each(texts5)("status %d shows the message verbatim under its title", (status, message, title) => {
    const card = errorView({ status, message, nextStep: "Do this next." });
    const all = texts(card);
    expect(all).toContain(message);
    expect(all).toContain(title);
    expect(all).toContain(`Error ${status}`);
    expect(all).toContain("Do this next.");
  });
  test("usage in monospace, and a back button only when given and valid", () => {
    const card = errorView({ status: 400, message: "Unknown command.", usage: COMMAND_USAGE.diff.usage, back: { title: "Backups", verb: "backups.list", data: {} } });
    expect(JSON.stringify(card)).toContain(`"text":${JSON.stringify(COMMAND_USAGE.diff.usage)},"fontType":"Monospace"`);
    expect(buttons(card).get("Backups")).toMatchObject({ verb: "backups.list", data: {} });
    expect(errorView({ status: 400, message: "x" })["actions"]).toBeUndefined();
    expect(errorView({ status: 400, message: "x", back: { title: "Job", verb: "job.refresh", data: { jobId: "tampered" } } })["actions"]).toBeUndefined();
  });
});

describe("who am I", () => {
  test("no role: says so and who to ask", () => {
    const text = joined(whoAmIView({ userId: F.ADA, tenantId: F.TENANT, roles: [], permissions: [] }));
    expect(text).toContain("No Rewind role");
    expect(text).toContain("Microsoft Entra Backup Reader");
  });
  test("roles with friendly names and what they allow", () => {
    const text = joined(whoAmIView({ userId: F.ADA, name: "Ada Admin", tenantId: F.TENANT, roles: ["backupReader"], permissions: ["listBackups", "readReports", "startReport", "listJobs"] }));
    expect(text).toContain("Your Rewind roles: Backup Reader");
    expect(text).toContain("• run difference reports");
    expect(text).not.toContain("approve");
  });
});
