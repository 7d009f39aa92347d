import { ADA, GIL, RITA, startEngineFixture, type EngineFixture } from "./engine-fixture";

describe("listing and taking backups through the façade", () => {
  let fx: EngineFixture;
  beforeAll(async () => {
    fx = await startEngineFixture();
  });
  afterAll(async () => {
    await fx.close();
  });

  it("explains an empty list and a short one, rather than hide it", async () => {
    const empty = await fx.engine.rewind.listBackups(RITA);
    expect(empty).toMatchObject({ backups: [], retentionDays: 5 });
    expect(empty.note).toMatch(/No backup has completed yet/);

    const first = await fx.engine.rewind.takeBackup(ADA);
    const second = await fx.engine.rewind.takeBackup(GIL);
    expect(second.id > first.id).toBe(true);
    const listed = await fx.engine.rewind.listBackups(RITA);
    expect(listed.backups.map((b) => [b.id, b.trigger, b.requestedBy])).toEqual([
      [second.id, "onDemand", GIL.userId],
      [first.id, "onDemand", ADA.userId],
    ]);
    expect(listed.backups[0]!.counts.user?.live).toBeGreaterThan(100);
    expect(listed.note).toMatch(/Backups are kept 5 days.*normal in the first days/);
    const audit = await fx.engine.rewind.listAudit(ADA, { limit: 10 });
    expect(audit.filter((a) => a.action === "backupTaken").map((a) => [a.actor, a.target])).toEqual([
      [GIL.userId, second.id],
      [ADA.userId, first.id],
    ]);
  });
});

describe("scheduled backups", () => {
  let fx: EngineFixture;
  afterAll(async () => {
    await fx.close();
  });

  it("takes the first one at start and audits it as the system's", async () => {
    fx = await startEngineFixture({ scheduleBackups: true });
    const until = Date.now() + 30_000;
    while ((await fx.engine.rewind.listBackups(RITA)).backups.length === 0) {
      if (Date.now() > until) throw new Error("no scheduled backup");
      await new Promise((r) => setTimeout(r, 50));
    }
    const [backup] = (await fx.engine.rewind.listBackups(RITA)).backups;
    expect(backup).toMatchObject({ trigger: "scheduled" });
    expect(backup!.requestedBy).toBeUndefined();
    const audit = await fx.engine.rewind.listAudit(ADA, { limit: 10 });
    expect(audit.filter((a) => a.action === "backupTaken").map((a) => [a.actor, a.target])).toEqual([["system", backup!.id]]);
  });
});
