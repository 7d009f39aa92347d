import { backoffMs, retryAfterMs, type RetryPolicy } from "../../lib/retry";

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] ?? null });

describe("the backoff", () => {
  const p: RetryPolicy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 };

  it("doubles from the base each retry, half fixed and half jitter", () => {
    expect(backoffMs(p, 0, () => 0)).toBe(50);
    expect(backoffMs(p, 0, () => 1)).toBe(100);
    expect(backoffMs(p, 1, () => 0.5)).toBe(150);
    expect(backoffMs(p, 3, () => 0)).toBe(400);
    expect(backoffMs(p, 3, () => 1)).toBe(800);
  });

  it("never waits longer than the cap, however many retries", () => {
    expect(backoffMs(p, 10, () => 1)).toBe(1000);
    expect(backoffMs(p, 60, () => 1)).toBe(1000);
    expect(backoffMs(p, 10, () => 0)).toBe(500);
  });

  it("jitters with Math.random by default, within the attempt's bounds", () => {
    const waits = Array.from({ length: 200 }, () => backoffMs(p, 2));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(200);
    expect(Math.max(...waits)).toBeLessThanOrEqual(400);
    expect(new Set(waits).size).toBeGreaterThan(1);
  });
});

describe("Retry-After", () => {
  it("reads seconds, an HTTP date, and prefers the millisecond headers", () => {
    expect(retryAfterMs(headers({ "retry-after": "3" }))).toBe(3000);
    expect(retryAfterMs(headers({ "retry-after": "2", "retry-after-ms": "150" }))).toBe(150);
    expect(retryAfterMs(headers({ "retry-after": "2", "x-ms-retry-after-ms": "75" }))).toBe(75);
    const now = Date.parse("2026-11-26T10:00:00Z");
    expect(retryAfterMs(headers({ "retry-after": "Thu, 26 Nov 2026 10:00:05 GMT" }), now)).toBe(5000);
    expect(retryAfterMs(headers({ "retry-after": "Thu, 26 Nov 2026 09:59:00 GMT" }), now)).toBe(0);
  });

  it("is undefined when nothing usable was sent", () => {
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after-ms": "soon" }))).toBeUndefined();
  });
});
