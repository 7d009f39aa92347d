import type { TenantSpec } from "../types";

/** The demo tenant's id (sim/README.md). */
export const DEMO_TENANT_ID = "d0d0d0d0-0000-4000-8000-00000000d0d0";

/** Named tenant sizes. `demo` carries the fixed people of sim/README.md besides its generated content. */
export const PRESETS: Readonly<Record<"demo" | "small" | "large", TenantSpec>> = {
  demo: { seed: 7, users: 120, groups: 30, links: 420, applications: 12, conditionalAccessPolicies: 6, namedLocations: 4 },
  small: { seed: 11, users: 2000, groups: 300, links: 10000, applications: 60, conditionalAccessPolicies: 20, namedLocations: 10 },
  large: {
    seed: 13,
    users: 100000,
    groups: 20000,
    links: 1000000,
    applications: 1000,
    conditionalAccessPolicies: 120,
    namedLocations: 40,
  },
};

/** Checks a spec (sizes that the membership construction can honour without duplicates). */
export function validateSpec(spec: TenantSpec): void {
  const ints: Array<keyof TenantSpec> = ["users", "groups", "links", "applications", "conditionalAccessPolicies", "namedLocations"];
  for (const k of ints) {
    const v = spec[k];
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`tenant.${k} must be a non-negative integer, got ${v}`);
  }
  if (spec.users < 6) throw new Error("tenant.users must be at least 6 (the role holders)");
  if (spec.links > 0 && spec.groups === 0) throw new Error("tenant.links needs at least one group");
  if (spec.links > spec.users * spec.groups) throw new Error("tenant.links cannot exceed users × groups");
  // Membership arithmetic multiplies two user positions; below 2^26 users the products stay exact in doubles.
  if (spec.users > 2 ** 26) throw new Error("tenant.users must be at most 67,108,864");
  if (spec.groups > 2 ** 31 - 1) throw new Error("tenant.groups too large");
}
