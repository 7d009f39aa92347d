/**
 * The README's local path, end to end, as a newcomer takes it ("Quickstart" and "Chat with the bot locally"):
 * `npm start`, `npm run playground`, then a chat in the Playground's page in Chromium, as Ada Admin,
 * about the demo tenant. Everything stays on 127.0.0.1. With WRITE_SCREENSHOTS=1 it also writes the README's
 * picture, docs/playground-chat.png; otherwise it writes nothing into the repository.
 */
import path from "node:path";
import { chromiumSetup } from "../../scripts/card-shots/chromium";
import { LocalDemo, PlaygroundChat, type ChatCard } from "./playground-session";

jest.setTimeout(180_000);

// The demo tenant's fixed identities (sim/README.md); the Playground signs in as Ada Admin.
const DEMO_TENANT_ID = "d0d0d0d0-0000-4000-8000-00000000d0d0";
const ADA_OBJECT_ID = "0a0a0a0a-0000-4000-8000-000000000001";

const SCREENSHOT = path.join(__dirname, "..", "..", "docs", "playground-chat.png");

let demo: LocalDemo | undefined;
let chat: PlaygroundChat | undefined;

beforeAll(async () => {
  // Fail, never skip: without Chromium the README's path is not proven (this throws, saying why, before the demo starts).
  chromiumSetup();
  demo = await LocalDemo.launch();
  chat = await PlaygroundChat.open(demo.playgroundUrl);
});

afterAll(async () => {
  await chat?.close();
  await demo?.stop();
});

function session(): { demo: LocalDemo; chat: PlaygroundChat } {
  if (!demo || !chat) throw new Error("The local demo did not start (see beforeAll's error).");
  return { demo, chat };
}

const firstLine = (text: string): string => text.split("\n", 1)[0]!.trim();

/** What the steps found, for the steps after them. */
const seen: { backupsCard?: ChatCard; reportBackupId?: string; progress?: ChatCard; summary?: ChatCard } = {};

describe("the README's local path: npm start, npm run playground, a chat in the Playground", () => {
  it("npm start took a backup of the demo tenant and drifted it; the Playground's page opens with Rewind's help card", async () => {
    const { demo, chat } = session();
    expect(demo.start.output).toContain(`demo tenant ${DEMO_TENANT_ID}`);
    expect(demo.firstBackupObjects).toBeGreaterThan(0);
    const help = await chat.card("help card", 0, (t) => firstLine(t) === "Rewind: backup and recovery of your Entra ID tenant", 60_000);
    expect(help.text).toContain("diff <backupId|latest>");
  });

  it("whoami: Ada Admin, a Backup Administrator of the demo tenant", async () => {
    const { chat } = session();
    const from = await chat.say("whoami");
    const card = await chat.card("whoami card", from, (t) => firstLine(t) === "You and Rewind");
    expect(card.text).toMatch(/Name\s+Ada Admin/);
    expect(card.text).toMatch(new RegExp(`Entra user id\\s+${ADA_OBJECT_ID}`));
    expect(card.text).toMatch(new RegExp(`Tenant\\s+${DEMO_TENANT_ID}`));
    expect(card.text).toContain("Your Rewind roles: Backup Administrator");
    expect(card.text).toContain("approve or reject recoveries");
  });

  it("backups: the list shows the backup npm start took, with its Difference report button", async () => {
    const { demo, chat } = session();
    const from = await chat.say("backups");
    const card = await chat.card("backup list card", from, (t) => firstLine(t) === "Backups");
    expect(card.text).toMatch(/^\d+ backups?, kept \d+ days?\. Newest first\.$/m);
    expect(card.text).toContain(demo.firstBackupId);
    expect(card.text).toMatch(/\d+ users?\b.* · \d+ groups?\b/);
    expect(await chat.buttons(card)).toContain("Difference report");
    seen.backupsCard = card;
  });

  it("diff latest: a progress card, then the summary of the demo drift's changes", async () => {
    const { chat } = session();
    const from = await chat.say("diff latest");
    const progress = await chat.card("progress card", from, (t) => /^Difference report of backup \S+$/.test(firstLine(t)) && /^Difference report: /m.test(t), 30_000);
    const backupId = firstLine(progress.text).replace("Difference report of backup ", "");
    // "latest" is the newest backup of the list just shown.
    expect(seen.backupsCard?.text ?? "(no backup list card: the backups step failed)").toContain(backupId);
    expect(progress.text).toMatch(/Requested by\s+Ada Admin/);
    expect(await chat.buttons(progress)).toContain("Refresh");

    const summary = await chat.card("report summary card", from, (t) => firstLine(t) === `Difference report of backup ${backupId}` && /^([\d,]+ changes?: |No changes$)/m.test(t), 60_000);
    expect(summary.index).toBeGreaterThan(progress.index);
    expect(summary.text).toMatch(/^Completed .* · requested by Ada Admin$/m);
    const total = Number(/^([\d,]+) changes?: /m.exec(summary.text)?.[1]?.replace(/,/g, "") ?? 0);
    expect(total).toBeGreaterThan(0);
    expect(summary.text).toMatch(new RegExp(`^First \\d+ changes? of ${total.toLocaleString("en-US")}$`, "m"));
    expect(await chat.buttons(summary)).toEqual(expect.arrayContaining(["Show changes", "Recover…"]));
    Object.assign(seen, { reportBackupId: backupId, progress, summary });
  });

  it("a click on the summary's Show changes button (Action.Execute) brings the first page of changes in its place", async () => {
    const { chat } = session();
    const { summary, reportBackupId } = seen;
    if (!summary || !reportBackupId) throw new Error("No summary card to click (the diff latest step failed).");
    const lines = summary.text.split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
    const firstChange = lines[lines.findIndex((l) => /^First \d+ changes? of /.test(l)) + 1];
    expect(firstChange).toBeTruthy();

    await chat.click(summary, "Show changes");
    const page = await chat.cardAt("the changes page", summary.index, (t) => firstLine(t) === "Difference report changes", 30_000);
    expect(page.text).toContain(`Backup ${reportBackupId} · page 1 · no filter · values: backup → now`);
    expect(page.text).toContain(firstChange!);
    expect(await chat.buttons(page)).toContain("Summary");
  });

  it("the progress card is updated in place once the report ends", async () => {
    const { chat } = session();
    const { progress } = seen;
    if (!progress) throw new Error("No progress card (the diff latest step failed).");
    // The watcher updates a card at most every CARD_UPDATE_SECONDS (15 by default), so this takes a few seconds.
    const ended = await chat.cardAt("Succeeded", progress.index, (t) => /^Difference report: Succeeded$/m.test(t), 45_000);
    expect(ended.text).toContain("Completed. The summary lists what changed.");
    expect(await chat.buttons(ended)).toContain("Show summary");

    if (process.env.WRITE_SCREENSHOTS === "1") await chat.screenshot(SCREENSHOT, "diff latest");
  });

  it("the bot logged no error during the chat, and the Playground stayed up", () => {
    const { demo } = session();
    demo.start.checkRunning("during the chat");
    demo.playground.checkRunning("during the chat");
    // pino JSON lines: level 50 is error, 60 fatal (npm start logs at warn and above).
    const errors = demo.start.output.split("\n").filter((l) => /"level":(50|60)\b/.test(l));
    expect(errors).toEqual([]);
  });
});
