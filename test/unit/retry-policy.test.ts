import { backoffMs, DEFAULT_RETRY_POLICY, retryAfterMs } from "../../core/graph/retry-policy";
import { countWrites, isIdempotent } from "../../core/graph/request-kind";

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] ?? null });

describe("retry policy", () => {
  it("reads Retry-After in seconds, as a date, and prefers retry-after-ms", () => {
    expect(retryAfterMs(headers({ "retry-after": "3" }))).toBe(3000);
    expect(retryAfterMs(headers({ "retry-after": "2", "retry-after-ms": "150" }))).toBe(150);
    const now = Date.parse("2026-11-26T10:00:00Z");
    expect(retryAfterMs(headers({ "retry-after": "Thu, 26 Nov 2026 10:00:05 GMT" }), now)).toBe(5000);
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "soon" }))).toBeUndefined();
  });

  it("backs off exponentially with jitter, capped", () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffMs(p, 0, () => 0)).toBe(50);
    expect(backoffMs(p, 0, () => 1)).toBe(100);
    expect(backoffMs(p, 3, () => 1)).toBe(800);
    expect(backoffMs(p, 10, () => 1)).toBe(1000);
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
