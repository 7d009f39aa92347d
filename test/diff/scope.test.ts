import { MAX_SCOPE_IDS, parseScope, scopeIds, scopeTypes } from "../../core/diff/scope";
import { OBJECT_TYPES } from "../../core/model/catalog";
import { RewindError } from "../../core/model/errors";

const U1 = "0a0a0a0a-0000-4000-8000-000000000001";

function refusal(input: unknown): RewindError {
  try {
    parseScope(input);
  } catch (err) {
    if (err instanceof RewindError) return err;
    throw err;
  }
  throw new Error("the scope was accepted");
}

describe("parseScope", () => {
  it("accepts an empty scope as everything", () => {
    expect(parseScope(undefined)).toEqual({});
    expect(scopeTypes({})).toEqual([...OBJECT_TYPES]);
  });

  it("normalizes types, ids and attributes", () => {
    const scope = parseScope({ types: ["group", "group"], objects: [{ type: "user", ids: [U1, U1] }], attributes: ["department", "members"] });
    expect(scope).toEqual({ types: ["group"], objects: [{ type: "user", ids: [U1] }], attributes: ["department", "members"] });
    expect(scopeTypes(scope)).toEqual(["user", "group"]);
    expect(scopeIds(scope, "user")).toEqual([U1]);
    expect(scopeIds(scope, "group")).toBeNull();
  });

  it.each([
    [{ types: ["users"] }, /Unknown object type "users"/],
    [{ objects: [{ type: "user", ids: ["not an id!"] }] }, /is not an object id/],
    [{ objects: [{ type: "user", ids: [U1] }, { type: "user", ids: [U1] }] }, /named twice/],
    [{ objects: [{ type: "user", ids: [] }] }, /No object ids/],
    [{ types: ["user"], attributes: ["createdDateTime"] }, /not a recoverable property or link of user/],
    [{ types: ["user"], attributes: ["members"] }, /not a recoverable property or link of user/],
    [{ everything: true }, /malformed/],
    ["user", /malformed/],
  ])("refuses %j with a 400 naming the problem", (input, message) => {
    const err = refusal(input);
    expect(err.status).toBe(400);
    expect(err.message).toMatch(message);
  });

  it("refuses more ids than the limit", () => {
    const ids = Array.from({ length: MAX_SCOPE_IDS + 1 }, (_, i) => `0a0a0a0a-0000-4000-8000-${String(i).padStart(12, "0")}`);
    expect(refusal({ objects: [{ type: "user", ids }] }).message).toMatch(/at most 1000/);
  });
});
