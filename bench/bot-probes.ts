/** What one timed probe sends: a chat message, or a click on a card button (`adaptiveCard/action`). */
export type Probe =
  | { readonly name: string; readonly kind: "message"; readonly text: string; readonly expect: "card" | "error" }
  | { readonly name: string; readonly kind: "click"; readonly verb: string; readonly data: Record<string, unknown>; readonly expect: "card" | "error" };

/** The ids the probes need from the setup. */
export interface ProbeIds {
  readonly reportId: string;
  /** The backup the report compared with (the first one). */
  readonly backupId: string;
  /** A far page that still has changes: page 2000 of the issue, or the report's last page when smaller. */
  readonly farPage: number;
}

/**
 * Every command and click that starts no job (the target applies to each), with what it should
 * answer: a card, or the error card for the deliberately bad ones. A probe that answers otherwise is counted
 * as a failure, so a fast error cannot pass for a fast answer.
 */
export function botProbes(ids: ProbeIds): Probe[] {
  const { reportId, backupId, farPage } = ids;
  const msg = (name: string, text: string, expect: "card" | "error" = "card"): Probe => ({ name, kind: "message", text, expect });
  const click = (name: string, verb: string, data: Record<string, unknown>, expect: "card" | "error" = "card"): Probe => ({ name, kind: "click", verb, data, expect });
  return [
    msg("help", "help"),
    msg("whoami", "whoami"),
    msg("backups", "backups"),
    msg("jobs", "jobs"),
    msg("jobs backup=<id>", `jobs backup=${backupId}`),
    msg("job <reportId>", `job ${reportId}`),
    msg("changes <reportId>", `changes ${reportId}`),
    msg("changes page=50", `changes ${reportId} page=50`),
    msg("changes type=group action=update", `changes ${reportId} type=group action=update`),
    msg(`changes page=${farPage} (far)`, `changes ${reportId} page=${farPage}`),
    msg("unknown command", "please frobnicate the tenant", "error"),
    msg("malformed command", `changes ${reportId.slice(0, 20)} page=zero`, "error"),
    click("click changes.page 2", "changes.page", { jobId: reportId, page: 2 }),
    click(`click changes.page ${farPage} (far)`, "changes.page", { jobId: reportId, page: farPage }),
    click("click report.summary", "report.summary", { jobId: reportId }),
    click("click job.refresh", "job.refresh", { jobId: reportId }),
    click("click jobs.list", "jobs.list", {}),
    click("click backups.list", "backups.list", {}),
    click("click whoami.show", "whoami.show", {}),
    click("click tampered (bad data)", "changes.page", { jobId: reportId, page: 2, isAdmin: true }, "error"),
  ];
}

/**
 * Probes beyond the list, reported apart: a filtered page far into the report, which the engine reaches
 * by finding its cursor on the change index (store nthChangeSeq), not by reading the changes before it.
 */
export function extraProbes(ids: ProbeIds, filteredFarPage: number): Probe[] {
  return [
    { name: `changes type=user action=update page=${filteredFarPage}`, kind: "message", text: `changes ${ids.reportId} type=user action=update page=${filteredFarPage}`, expect: "card" },
  ];
}
