/**
 * The chaos benchmark's setup, in its own process: a full Rewind app on the shared Cosmos database takes a
 * backup of the tenant, a bulk drift changes it (in a child process), and a difference report lists what to
 * recover. Then, with this app's job runner stopped (so no process of its own starts the job), one Global
 * Administrator asks for the recovery in Teams and the other approves it on the card: the recovery job is
 * left queued in the store for the replicas. The alerts channel knows the bot (installed there first), so
 * the report's result and the request go there as they would in production.
 */
import type { BackupSummary } from "../core/model/backup";
import { isTerminal, type Job } from "../core/model/job";
import type { Store } from "../core/ports";
import { jobSubject } from "../bot/proactive/fingerprint";
import type { BenchPerson } from "./bot-client";
import { startChaosApp, type ChaosAppArgs } from "./chaos-app";
import { TeamsPoster, type TeamsConversation } from "./chaos-teams";
import { forkTs } from "./child";
import type { DriftFigures } from "./engine-drift";
import { backupSize, round2, runWorker } from "./engine-world";
import { SimControl } from "./sim-control";
import { sleep } from "../lib/async";

export interface SetupArgs extends ChaosAppArgs {
  /** Where every conversation's `serviceUrl` points (the benchmark's connector). */
  readonly connectorUrl: string;
  readonly driftObjects: number;
  readonly driftSeed: number;
}

/** What the setup left in the store, and what it took. */
export interface SetupResult {
  readonly backup: { id: string; seconds: number; objects: number; links: number };
  readonly drift: { objects: number; seconds: number; planned: DriftFigures["planned"]; byStatus: Record<string, number> };
  readonly report: { id: string; seconds: number; changes: number; notRecoverable: number; byType: unknown };
  readonly requestId: string;
  readonly jobId: string;
  readonly requester: BenchPerson;
  readonly approver: BenchPerson;
  /** The approver's chat, where the recovery's progress card was posted. */
  readonly approverChat: string;
  readonly seconds: number;
}

const JOB_TIMEOUT_MS = 30 * 60_000;

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got !== null && got !== undefined) return got;
    if (Date.now() > end) throw new Error(`setup: ${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

function ended(store: Store, tenantId: string, jobId: string): Promise<Job> {
  return until(`job ${jobId} ending`, JOB_TIMEOUT_MS, async () => {
    const job = (await store.getJob(tenantId, jobId))?.job;
    return job && isTerminal(job.state) ? job : null;
  });
}

async function drift(args: SetupArgs): Promise<DriftFigures> {
  const sim = new SimControl(args.conn);
  await sim.setThrottling(false);
  const child = forkTs<DriftFigures>("engine-drift-worker.ts", [JSON.stringify({ url: args.conn.url, ca: args.conn.ca, objects: args.driftObjects, seed: args.driftSeed })]);
  try {
    return await child.ready;
  } finally {
    await child.stop();
    await sim.setThrottling(true);
    await sim.close();
  }
}

async function main(args: SetupArgs): Promise<SetupResult> {
  const started = performance.now();
  const chaos = await startChaosApp(args);
  const { app, graph } = chaos;
  const tenantId = args.conn.tenantId;
  const teams = new TeamsPoster(chaos.botUrl, args.connectorUrl, tenantId);
  const say = (what: string, x: unknown): void => void process.stdout.write(`  setup ${what} ${JSON.stringify(x)}\n`);
  try {
    const [a, b] = await graph.directoryRoleMembers("Global Administrator");
    if (!a || !b) throw new Error("The simulated tenant needs two Global Administrators (requester and approver).");
    const requester: BenchPerson = { aadObjectId: a, name: "Chaos Requester", teamsId: `29:chaos-${a.slice(0, 8)}` };
    const approver: BenchPerson = { aadObjectId: b, name: "Chaos Approver", teamsId: `29:chaos-${b.slice(0, 8)}` };
    const chatOf = (p: BenchPerson): TeamsConversation => ({ id: `a:chaos-personal-${p.aadObjectId}`, type: "personal" });
    await teams.install(requester, { id: args.alertsConversationId, type: "channel" });

    const backupStarted = performance.now();
    const summary: BackupSummary = await app.engine.rewind.takeBackup({ userId: a });
    const backup = { id: summary.id, seconds: round2((performance.now() - backupStarted) / 1000), ...backupSize(summary) };
    say("backup", backup);

    const d = await drift(args);
    const driftFigures = { objects: d.objects, seconds: round2(d.listSeconds + d.send.seconds), planned: d.planned, byStatus: d.send.byStatus };
    say("drift", driftFigures);

    const reportStarted = performance.now();
    const reportJob = await app.engine.rewind.startDifferenceReport({ userId: a }, { backupId: summary.id });
    const done = await ended(app.store, tenantId, reportJob.id);
    if (done.state !== "succeeded") throw new Error(`The difference report ended ${done.state}: ${done.error ?? "no error given"}`);
    const report = {
      id: done.id,
      seconds: round2((performance.now() - reportStarted) / 1000),
      changes: done.summary?.total ?? 0,
      notRecoverable: done.summary?.notRecoverable ?? 0,
      byType: done.summary?.byType ?? {},
    };
    say("report", report);

    // From here on no job runs in this process: the approved recovery waits in the store for the replicas.
    await app.engine.runner.stop();
    await teams.say(requester, chatOf(requester), `recover ${done.id}`);
    const request = (await app.store.listRecoveryRequests(tenantId, { pendingOnly: true })).find((r) => r.reportId === done.id);
    if (!request) throw new Error("The recovery request was not stored.");
    await teams.say(approver, chatOf(approver), "whoami");
    await teams.click(approver, chatOf(approver), "recovery.approve", { requestId: request.id, reportId: request.reportId, digest: request.digest });
    const approved = await app.store.getRecoveryRequest(tenantId, request.id);
    const jobId = approved?.recoveryJobId;
    if (approved?.state !== "approved" || !jobId) throw new Error(`The recovery request is ${approved?.state ?? "gone"}, not approved with a job.`);
    // The approval posts the recovery's progress card in the background: wait for it before stopping.
    const approverChat = chatOf(approver).id;
    await until("the recovery's progress card", 60_000, async () => (await app.conversations.listPostedCards(tenantId, jobSubject(jobId))).find((c) => c.conversationId === approverChat && c.activityId));
    const job = (await app.store.getJob(tenantId, jobId))?.job;
    if (job?.state !== "queued") throw new Error(`The recovery job is ${job?.state ?? "missing"}, not queued for the replicas.`);
    say("approved", { requestId: request.id, jobId });
    return {
      backup,
      drift: driftFigures,
      report,
      requestId: request.id,
      jobId,
      requester,
      approver,
      approverChat,
      seconds: round2((performance.now() - started) / 1000),
    };
  } finally {
    await teams.close();
    await chaos.stop();
  }
}

runWorker(main);
