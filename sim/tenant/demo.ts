import type { Kind } from "./kinds";

/** The demo tenant's fixed people (sim/README.md); they occupy user indices 0..4 of the demo tenant. */
export const DEMO_PEOPLE = [
  { index: 0, id: "0a0a0a0a-0000-4000-8000-000000000001", given: "Ada", surname: "Admin", upn: "ada", title: "Backup Administrator" },
  { index: 1, id: "0a0a0a0a-0000-4000-8000-000000000002", given: "Ben", surname: "Second", upn: "ben", title: "Backup Administrator" },
  { index: 2, id: "0a0a0a0a-0000-4000-8000-000000000003", given: "Gil", surname: "Global", upn: "gil", title: "Global Administrator" },
  { index: 3, id: "0a0a0a0a-0000-4000-8000-000000000004", given: "Rita", surname: "Reader", upn: "rita", title: "Backup Reader" },
  { index: 4, id: "0a0a0a0a-0000-4000-8000-000000000005", given: "Nora", surname: "Nobody", upn: "nora", title: "Analyst" },
] as const;

export const DEMO_DOMAIN = "rewinddemo.onmicrosoft.com";

/** The pinned ids of the demo tenant, for the id codec. */
export const DEMO_PINNED_IDS: ReadonlyArray<{ id: string; kind: Kind; index: number }> = DEMO_PEOPLE.map((p) => ({
  id: p.id,
  kind: "user",
  index: p.index,
}));
