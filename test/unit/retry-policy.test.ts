import { backoffMs, DEFAULT_RETRY_POLICY, retryAfterMs } from "../../core/graph/retry-policy";
import { countWrites } from "../../core/graph/resilience-handler";

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
