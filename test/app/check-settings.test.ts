import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readServeSettings } from "../../app/settings/read-settings";
import { SettingsError } from "../../app/settings/settings-error";

const TENANT = "7c1f0b6e-2f0a-4b4e-9a59-3f1d2c0e9a11";
const BOT_ID = "3b1c0000-0000-4000-8000-000000000009";
const VALID = { TENANT_ID: TENANT, CLIENT_ID: "0a0a0a0a-0000-4000-8000-000000000001", CLIENT_SECRET: "s3cret-value", BOT_ID, BOT_PASSWORD: "b0t-pass" };

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    readServeSettings(env);
  } catch (err) {
    if (err instanceof SettingsError) return err.problems;
    throw err;
  }
  return [];
}

describe("readServeSettings: every setting checked at start, in one message", () => {
  it("accepts the smallest production environment (Graph credentials and the Azure Bot; every other setting has a default)", () => {
    expect(problemsOf(VALID)).toEqual([]);
  });

  it("reads the environment once into typed sections, each part's own (the tenant copied into each that needs it)", () => {
    const settings = readServeSettings({
      ...VALID,
      TENANT_ID: TENANT.toUpperCase(),
      LOG_LEVEL: "",
      STORE: "cosmos",
      COSMOS_ENDPOINT: "https://contoso.documents.azure.com:443/",
      ROLE_GROUP_BACKUP_ADMINS: "0a0a0a0a-0000-4000-8000-0000000000aa",
      SHUTDOWN_SECONDS: "10",
    });
    expect(settings).toEqual({
      tenant: { id: TENANT },
      log: { level: "info" },
      process: { shutdownMs: 10_000 },
      graph: {
        baseUrl: "https://graph.microsoft.com",
        credential: { kind: "secret", tenantId: TENANT, clientId: VALID.CLIENT_ID, authorityHost: "https://login.microsoftonline.com", clientSecret: "s3cret-value" },
        requestTimeoutMs: 60_000,
        tokenTimeoutMs: 30_000,
      },
      engine: {
        tenantId: TENANT,
        config: {
          backupIntervalHours: 24,
          backupRetentionDays: 5,
          auditRetentionDays: 365,
          requireSecondApprover: true,
          reportsPerUserPerHour: 6,
          adminGroupIds: ["0a0a0a0a-0000-4000-8000-0000000000aa"],
          readerGroupIds: [],
        },
      },
      bot: { host: "127.0.0.1", port: 3978, auth: { mode: "SingleTenant", appId: BOT_ID, password: "b0t-pass", tenantId: TENANT }, tenantId: TENANT, cardUpdateMs: 15_000 },
      store: { kind: "cosmos", cosmos: { endpoint: "https://contoso.documents.azure.com:443/", databaseId: "rewind", auth: { kind: "entra" } } },
    });
  });

  it("names each missing or invalid setting once, from every section, in one error", () => {
    const problems = problemsOf({
      LOG_LEVEL: "loud",
      BACKUP_INTERVAL_HOURS: "0",
      ROLE_GROUP_BACKUP_ADMINS: "not-a-guid",
      BOT_PORT: "http",
      BOT_ID: "3b1c0000-0000-4000-8000-000000000009",
      STORE: "cosmos",
      COSMOS_ENDPOINT: "http://cosmos.example",
      CLIENT_SECRET: "s3cret-value",
    });
    expect(problems).toEqual([
      "LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent",
      "TENANT_ID: is not set",
      "CLIENT_ID: is not set",
      "BACKUP_INTERVAL_HOURS: must be a positive number of hours",
      "ROLE_GROUP_BACKUP_ADMINS: must be a comma-separated list of group object ids (GUIDs)",
      "BOT_PORT: must be a number",
      // A rule across settings is checked even when others of its section are invalid.
      "BOT_PASSWORD: required for a SingleTenant bot (the Azure Bot's client secret)",
      "COSMOS_ENDPOINT: must be an https URL",
    ]);
  });

  it("checks the combinations: a SingleTenant bot needs its password, Graph one kind of credential, STORE a known store", () => {
    expect(problemsOf({ ...VALID, BOT_PASSWORD: "", STORE: "mongo" })).toEqual([
      "BOT_PASSWORD: required for a SingleTenant bot (the Azure Bot's client secret)",
      "STORE: must be sqlite or cosmos",
    ]);
    expect(problemsOf({ ...VALID, SHUTDOWN_SECONDS: "0" })).toEqual(["SHUTDOWN_SECONDS: must be at least 1 second"]);
    expect(problemsOf({ ...VALID, CLIENT_CERTIFICATE_THUMBPRINT: "ab".repeat(32), CLIENT_CERTIFICATE_KEY_FILE: "/nowhere.pem" })[0]).toMatch(/^CLIENT_SECRET: set either/);
  });

  it("never puts a secret's value in the message", () => {
    let message = "";
    try {
      readServeSettings({ CLIENT_SECRET: "s3cret-value", BOT_PASSWORD: "b0t-pass", COSMOS_KEY: "c0smos-key", STORE: "cosmos", BOT_ID: "nope" });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^Rewind's settings have \d+ problems \(see \.env\.sample\):\n {2}- /);
    for (const secret of ["s3cret-value", "b0t-pass", "c0smos-key"]) expect(message).not.toContain(secret);
  });
});

describe("the settings file", () => {
  /** loadEnvFile in a process of its own (it writes process.env), printing the settings it then sees. */
  function load(env: Record<string, string>, cwd: string): { status: number | null; stdout: string; stderr: string } {
    const code = `require(${JSON.stringify(path.join(__dirname, "../../app/env-file.ts"))}).loadEnvFile(); process.stdout.write(JSON.stringify({ a: process.env.A_SETTING, b: process.env.B_SETTING }));`;
    // tsx by path: `--import tsx` would resolve from the temp directory.
    return spawnSync(path.join(__dirname, "../../node_modules/.bin/tsx"), ["-e", code], { cwd, env: { PATH: process.env.PATH, ...env }, encoding: "utf8", timeout: 60_000 });
  }

  it("reads ./.env, the file REWIND_ENV_FILE names instead, and lets the environment win over either", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rewind-envfile-"));
    try {
      writeFileSync(path.join(dir, ".env"), "A_SETTING=from-dotenv\nB_SETTING=from-dotenv\n");
      writeFileSync(path.join(dir, "other.env"), "A_SETTING=from-other\n");
      expect(JSON.parse(load({ B_SETTING: "from-env" }, dir).stdout)).toEqual({ a: "from-dotenv", b: "from-env" });
      expect(JSON.parse(load({ REWIND_ENV_FILE: "other.env" }, dir).stdout)).toEqual({ a: "from-other" });
      const missing = load({ REWIND_ENV_FILE: "nowhere.env" }, dir);
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toContain("REWIND_ENV_FILE: nowhere.env does not exist.");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("npm run serve with bad settings", () => {
  it("reads .env, prints the one message naming each bad setting, starts nothing and exits 1", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rewind-env-"));
    try {
      const file = path.join(dir, "bad.env");
      const storeFile = path.join(dir, "data", "rewind.db");
      writeFileSync(file, `TENANT_ID=${TENANT}\nCLIENT_ID=nope\nCLIENT_SECRET=s3cret-value\nBOT_ID=${BOT_ID}\nBOT_TYPE=MultiTenant\nSTORE_FILE=${storeFile}\n`);
      const run = spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, "../../app/main.ts")], {
        env: { PATH: process.env.PATH, REWIND_ENV_FILE: file, BOT_PORT: "0" },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("Rewind could not start: Rewind's settings have 2 problems");
      expect(run.stderr).toContain("- CLIENT_ID: must be the app registration's application (client) id");
      expect(run.stderr).toContain("- BOT_TYPE: must be SingleTenant or UserAssignedMSI");
      expect(run.stderr).not.toContain("s3cret-value");
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(run.stdout).toBe("");
      expect(existsSync(path.dirname(storeFile))).toBe(false); // no store opened, nothing written
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
