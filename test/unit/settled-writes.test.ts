import pino from "pino";
import type { BatchOp, BatchResult } from "../../core/graph/graph-batch";
import { MAX_RESENDS, sendSettled, type SettledWrite } from "../../core/graph/settled-writes";

const log = pino({ level: "silent" });
const policy = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 };
const lost: BatchResult = { status: 0, body: { error: { code: "connectionFailed", message: "Microsoft Graph could not be reached: socket hang up" } } };
const restore = (id: string): BatchOp => ({ method: "POST", url: `/directory/deletedItems/${id}/restore`, body: {} });

/** A restore whose every answer is lost; `landed` says what reading back finds. */
function restoreWith(landed: SettledWrite<string>["landed"]): { how: SettledWrite<string>; sent: string[] } {
  const sent: string[] = [];
  const how: SettledWrite<string> = {
    op: restore,
    send: async (ops) => {
      sent.push(...ops.map((o) => o.url));
      return ops.map(() => lost);
    },
    landed,
    describe: (id) => `the restore of ${id}`,
  };
  return { how, sent };
}

describe("writes settled by reading back after a lost answer", () => {
  it("a write whose answer is lost and whose read-back fails is reported as unknown, and not sent again", async () => {
    const { how, sent } = restoreWith(async (ids) => ids.map(() => new Error("Microsoft Graph could not be reached: the request timed out after 60 s")));
    const [result] = await sendSettled(["r1"], how, policy, log);
    expect(sent).toHaveLength(1);
    expect(result).toEqual({
      status: 0,
      body: {
        error: {
          code: "writeOutcomeUnknown",
          message:
            "Microsoft Graph's answer to the restore of r1 was lost (Microsoft Graph could not be reached: socket hang up), and reading back whether it landed failed (Microsoft Graph could not be reached: the request timed out after 60 s): it is unknown whether the write landed.",
        },
      },
    });
  });

  it("a write that did not land is sent again a bounded number of times, then fails saying it did not land", async () => {
    const { how, sent } = restoreWith(async (ids) => ids.map(() => false));
    const [result] = await sendSettled(["r1"], how, policy, log);
    expect(sent).toHaveLength(1 + MAX_RESENDS);
    expect(result!.status).toBe(0);
    expect((result!.body as { error: { message: string } }).error.message).toBe(
      `The restore of r1 did not land after ${1 + MAX_RESENDS} attempts, each without an answer; the last: Microsoft Graph could not be reached: socket hang up`,
    );
  });

  it("a write that landed is a success; one safe to send twice (a PATCH) is never read back", async () => {
    const asked: string[] = [];
    const { how } = restoreWith(async (ids) => {
      asked.push(...ids);
      return ids.map((id) => id === "landed");
    });
    const results = await sendSettled(["landed"], how, policy, log);
    expect(results).toEqual([{ status: 204, body: undefined }]);
    const patch: SettledWrite<string> = { ...how, op: (id) => ({ method: "PATCH", url: `/users/${id}`, body: { jobTitle: "x" } }) };
    expect(await sendSettled(["u1"], patch, policy, log)).toEqual([lost]);
    expect(asked).toEqual(["landed"]);
  });
});
