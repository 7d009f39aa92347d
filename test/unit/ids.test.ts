import { checkBackupId, checkId } from "../../core/input";
import { backupIdFor, BackupIdSchema, guidSchema, isGuid, JobIdSchema, parseBackupId, parseGuid, TenantIdSchema } from "../../core/model/ids";
import { parseCommand } from "../../bot/commands/command-parser";
import { parseVerbData } from "../../cards/verbs";

const JOB = "3F2B8C1E-6D4A-4C1B-9E2F-0A1B2C3D4E5F";

describe("GUIDs", () => {
  it("accept 8-4-4-4-12 hex digits in any case and come out in lower case", () => {
    expect(isGuid(JOB)).toBe(true);
    expect(parseGuid(JOB)).toBe(JOB.toLowerCase());
    expect(JobIdSchema.parse(JOB)).toBe(JOB.toLowerCase());
    expect(TenantIdSchema.parse("0a0a0a0a-0000-4000-8000-000000000001")).toBe("0a0a0a0a-0000-4000-8000-000000000001");
  });

  it("refuse anything else, with the schema's own words", () => {
    for (const bad of ["", "3f2b8c1e6d4a4c1b9e2f0a1b2c3d4e5f", "------------------------------------", "3f2b8c1e-6d4a-4c1b-9e2f-0a1b2c3d4e5g", ` ${JOB}`, `${JOB}0`]) {
      expect(isGuid(bad)).toBe(false);
      expect(parseGuid(bad)).toBeNull();
    }
    const refused = guidSchema("must be a widget id").safeParse("nope");
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe("must be a widget id");
    expect(guidSchema("must be a widget id").safeParse(42).error?.issues[0]?.message).toBe("must be a widget id");
  });
});

describe("backup ids", () => {
  it("are what backupIdFor writes: the UTC second, upper-case T and Z", () => {
    expect(backupIdFor(new Date("2026-11-25T02:00:00.750Z"))).toBe("2026-11-25T02:00:00Z");
    expect(parseBackupId("2026-11-25T02:00:00Z")).toBe("2026-11-25T02:00:00Z");
  });

  it("are accepted in any case and normalized to upper case (one rule for parser, cards and engine)", () => {
    const lower = "2026-11-25t02:00:00z";
    expect(parseBackupId(lower)).toBe("2026-11-25T02:00:00Z");
    expect(BackupIdSchema.parse(lower)).toBe("2026-11-25T02:00:00Z");
    expect(checkBackupId(lower)).toBe("2026-11-25T02:00:00Z");
    const typed = parseCommand(`diff ${lower}`);
    expect(typed.ok && typed.command.name === "diff" && typed.command.backupId).toBe("2026-11-25T02:00:00Z");
    const clicked = parseVerbData("report.start", { backupId: lower });
    expect(clicked.ok && clicked.verb === "report.start" && clicked.data.backupId).toBe("2026-11-25T02:00:00Z");
  });

  it("refuse other shapes and seconds that do not exist, everywhere alike", () => {
    for (const bad of ["2026-11-25", "2026-11-25T02:00:00", "2026-11-25T02:00:00.000Z", "2026-11-25 02:00:00Z", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-25T24:00:00Z", "latest"]) {
      expect(parseBackupId(bad)).toBeNull();
      expect(BackupIdSchema.safeParse(bad).success).toBe(false);
      expect(() => checkBackupId(bad)).toThrow(/is not a backup id/);
      expect(parseVerbData("report.start", { backupId: bad }).ok).toBe(false);
      if (bad !== "latest") expect(parseCommand(`diff ${bad}`).ok).toBe(false);
    }
    expect(() => checkBackupId(undefined)).toThrow(/is not a backup id/);
  });
});

describe("the engine's id checks", () => {
  it("take job and request ids in any case, return them in lower case, and refuse the rest", () => {
    expect(checkId(JOB, "job")).toBe(JOB.toLowerCase());
    expect(checkId(JOB, "recovery request")).toBe(JOB.toLowerCase());
    expect(() => checkId("not-a-guid", "job")).toThrow(/is not a job id/);
    expect(() => checkId(7, "recovery request")).toThrow(/is not a recovery request id/);
  });
});
