import { GRAPH_RETRY_POLICY, isTransientStatus } from "../../core/graph/retry-policy";
import { countWrites, isIdempotent } from "../../core/graph/request-kind";

describe("Graph's retry policy", () => {
  it("retries what Graph answers when later can succeed (429, 503, 504), nothing else", () => {
    for (const status of [429, 503, 504]) expect(isTransientStatus(status)).toBe(true);
    for (const status of [200, 400, 401, 403, 404, 409, 412, 500, 502]) expect(isTransientStatus(status)).toBe(false);
  });

  it("waits long enough to ride out Graph's throttling windows", () => {
    expect(GRAPH_RETRY_POLICY.maxDelayMs).toBeGreaterThanOrEqual(60_000);
    expect(GRAPH_RETRY_POLICY.maxRetries).toBeGreaterThan(0);
  });

  it("counts the writes a request spends, inner writes of a $batch included", () => {
    expect(countWrites("https://h/v1.0/users", "GET", undefined)).toBe(0);
    expect(countWrites("https://h/v1.0/users/1", "PATCH", "{}")).toBe(1);
    const batch = JSON.stringify({ requests: [{ method: "GET" }, { method: "PATCH" }, { method: "DELETE" }] });
    expect(countWrites("https://h/v1.0/$batch", "POST", batch)).toBe(2);
  });
});

describe("which requests may be sent again blindly", () => {
  const batch = (...requests: Array<{ method: string; url: string; body?: unknown }>): string => JSON.stringify({ requests });
  it("reads, PUT and property PATCHes may; restores, deletes, $ref writes and reference binds may not", () => {
    expect(isIdempotent("GET", "https://h/v1.0/users", undefined)).toBe(true);
    expect(isIdempotent("PUT", "https://h/v1.0/users/1/manager/$ref", "{}")).toBe(true);
    expect(isIdempotent("PATCH", "https://h/v1.0/users/1", JSON.stringify({ jobTitle: "x" }))).toBe(true);
    expect(isIdempotent("PATCH", "https://h/v1.0/groups/1", JSON.stringify({ "members@odata.bind": ["https://h/v1.0/directoryObjects/2"] }))).toBe(false);
    expect(isIdempotent("POST", "https://h/v1.0/directory/deletedItems/1/restore", "{}")).toBe(false);
    expect(isIdempotent("POST", "https://h/v1.0/groups/1/owners/$ref", "{}")).toBe(false);
    expect(isIdempotent("DELETE", "https://h/v1.0/users/1", undefined)).toBe(false);
    expect(isIdempotent("DELETE", "https://h/v1.0/groups/1/members/2/$ref", undefined)).toBe(false);
  });

  it("a $batch only when every request in it may", () => {
    expect(isIdempotent("POST", "https://h/v1.0/$batch", batch({ method: "GET", url: "/users" }, { method: "PATCH", url: "/users/1", body: { city: "Lyon" } }))).toBe(true);
    expect(isIdempotent("POST", "https://h/v1.0/$batch", batch({ method: "PATCH", url: "/users/1", body: {} }, { method: "DELETE", url: "/users/2" }))).toBe(false);
    expect(isIdempotent("POST", "/$batch", { requests: [{ method: "POST", url: "/directory/deletedItems/1/restore" }] })).toBe(false);
  });
});
