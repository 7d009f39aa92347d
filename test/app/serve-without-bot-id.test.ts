import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, listening } from "./local-ports";

// `npm run serve` is production: Bot Framework authentication is always on there. An empty BOT_ID (the
// .env.sample default) used to start it unauthenticated on loopback, where anything that reaches the port
// (a sidecar, a proxy, an SSRF) could act as any admin by naming their object id.

jest.setTimeout(120_000);

const ROOT = path.join(__dirname, "..", "..");

describe("npm run serve without BOT_ID", () => {
  it("refuses to start unauthenticated: exits non-zero naming BOT_ID, and nothing listens", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rewind-serve-"));
    const port = await freePort();
    const storeFile = path.join(dir, "rewind.db");
    try {
      // Every other setting is complete and valid; Graph and sign-in point at a closed local port.
      const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), [path.join(ROOT, "app", "main.ts")], {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          TENANT_ID: "7c1f0b6e-2f0a-4b4e-9a59-3f1d2c0e9a11",
          CLIENT_ID: "0a0a0a0a-0000-4000-8000-000000000001",
          CLIENT_SECRET: "dummy-secret-value",
          GRAPH_BASE_URL: "https://127.0.0.1:9",
          AUTHORITY_HOST: "https://127.0.0.1:9",
          STORE_FILE: storeFile,
          BOT_HOST: "127.0.0.1",
          BOT_PORT: String(port),
          BOT_ID: "",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
      // Either it exits, or it starts listening (the defect): whichever comes first, within a minute.
      let served = false;
      const outcome = await Promise.race([
        exited.then((code) => ({ code })),
        (async () => {
          const until = Date.now() + 60_000;
          while (Date.now() < until && child.exitCode === null) {
            if (await listening(port)) {
              served = true;
              return { code: "listening" as const };
            }
            await new Promise((r) => setTimeout(r, 250));
          }
          return { code: "still running" as const };
        })(),
      ]);
      if (child.exitCode === null) {
        child.kill("SIGKILL");
        await exited;
      }
      expect({ outcome, served }).toEqual({ outcome: { code: 1 }, served: false });
      expect(stderr).toContain("Rewind could not start: Rewind's settings have a problem");
      expect(stderr).toContain("- BOT_ID: is not set");
      expect(stderr).not.toContain("dummy-secret-value");
      expect(stdout).toBe("");
      expect(await listening(port)).toBe(false);
      expect(existsSync(storeFile)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
