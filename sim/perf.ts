import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Agent, fetch } from "undici";
import { z } from "zod";

/**
 * Measures the simulator from another process, the way a gateway sees it: one HTTPS keep-alive connection,
 * 999-item user pages, then the whole groups delta with members. Prints figures; not part of the test run.
 *   npx tsx sim/perf.ts [large|huge]
 */

/** Only the envelope is checked: validating every item would measure zod rather than the simulator. */
const Page = z.object({ value: z.array(z.unknown()), "@odata.nextLink": z.string().optional(), "@odata.deltaLink": z.string().optional() });
const Health = z.object({ rssBytes: z.number(), cpuMs: z.number() });

const USER_SELECT = "id,onPremisesSyncEnabled,accountEnabled,ageGroup,city,companyName,consentProvidedForMinor,country,department,displayName,employeeHireDate,employeeId,employeeLeaveDateTime,employeeOrgData,employeeType,faxNumber,givenName,jobTitle,mail,mailNickname,mobilePhone,otherMails,passwordPolicies,officeLocation,postalCode,preferredDataLocation,preferredLanguage,state,streetAddress,surname,businessPhones,usageLocation,userPrincipalName,userType";

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const size = process.argv[2] === "huge" ? "huge" : "large";
  const root = path.resolve(__dirname, "..");
  const certDir = path.join(tmpdir(), `graph-sim-perf-${process.pid}`);
  const args = ["sim/cli.ts", "--tenant", "large", "--no-throttling", "--port", "0", "--cert-dir", certDir];
  if (size === "huge") args.push("--users", "1000000", "--groups", "200000", "--links", "10000000", "--applications", "5000");
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /Graph URL: (https:\/\/\S+)\/v1\.0/.exec(out);
      if (m?.[1] && out.includes("CA file")) resolve(m[1]);
    });
  });
  const agent = new Agent({ connect: { ca: readFileSync(path.join(certDir, "ca.pem"), "utf8") }, connections: 1 });
  const get = async (u: string, headers: Record<string, string> = {}): Promise<z.infer<typeof Page>> => {
    const r = await fetch(u, { dispatcher: agent, headers: { Authorization: "Bearer perf", ...headers } });
    return Page.parse(await r.json());
  };
  const health = async (): Promise<z.infer<typeof Health>> => Health.parse(await (await fetch(`${url}/_sim/health`, { dispatcher: agent })).json());
  const rss = async (): Promise<number> => Math.round((await health()).rssBytes / 1048576);
  const cpu = async (): Promise<number> => (await health()).cpuMs;
  try {
    say(`tenant ${size}: simulator RSS at start ${await rss()} MB`);
    for (const [label, query] of [["default properties", ""], ["all 33 supported properties", `&$select=${USER_SELECT}`]] as const) {
      const t0 = Date.now();
      const c0 = await cpu();
      const own0 = process.cpuUsage();
      let n = 0;
      let next: string | undefined = `${url}/v1.0/users?$top=999${query}`;
      while (next) {
        const p = await get(next);
        n += p.value.length;
        next = p["@odata.nextLink"];
      }
      const s = (Date.now() - t0) / 1000;
      const simCpu = (await cpu()) - c0;
      const own = process.cpuUsage(own0);
      say(`users (${label}): ${n} in ${s.toFixed(2)} s = ${Math.round(n / s)} users/s; simulator CPU ${simCpu} ms, client CPU ${Math.round((own.user + own.system) / 1000)} ms; simulator RSS ${await rss()} MB`);
    }
    const t0 = Date.now();
    let items = 0;
    let members = 0;
    let pages = 0;
    let next: string | undefined = `${url}/v1.0/groups/delta?$select=displayName,members`;
    while (next) {
      const p = await get(next, { Prefer: "odata.maxpagesize=999" });
      pages++;
      for (const g of p.value) {
        items++;
        const m = typeof g === "object" && g !== null ? (g as Record<string, unknown>)["members@delta"] : undefined;
        if (Array.isArray(m)) members += m.length;
      }
      next = p["@odata.nextLink"];
    }
    const s = (Date.now() - t0) / 1000;
    say(`groups delta with members: ${items} items, ${members} member entries, ${pages} pages in ${s.toFixed(2)} s; simulator RSS ${await rss()} MB`);
  } finally {
    await agent.close();
    child.kill("SIGTERM");
    rmSync(certDir, { recursive: true, force: true });
  }
}

void main();
