import { CATALOG } from "../core/model/catalog";
import type { Change, ChangeOutcome } from "../core/model/change";
import type { SimWriteLogPage } from "./sim-control";

/** One write the simulator handled. */
export type WriteEntry = SimWriteLogPage["entries"][number];

/** What kind of Graph write an entry was, and what it was about (the key a repeat would share). */
export interface WriteKind {
  readonly kind: "restore" | "softDelete" | "propertyPatch" | "memberBind" | "refAdd" | "refRemove" | "managerSet" | "managerRemove" | "other";
  /** One key per thing the write does: a bind of 20 members does 20 things. */
  readonly keys: readonly string[];
  /** Whether sending it again after it landed does nothing more (PATCH of properties, PUT of a manager). */
  readonly idempotent: boolean;
}

const COLLECTIONS = new Set(["users", "groups", "applications", "servicePrincipals"]);
const lower = (s: string): string => s.toLowerCase();

/** Reads a write-log entry's method and path as the recovery's kind of write. */
export function kindOf(e: WriteEntry): WriteKind {
  const segs = e.path.split("/").filter((s) => s.length > 0).slice(1).map((s) => decodeURIComponent(s));
  const m = e.method.toUpperCase();
  const refs = (e.refs ?? []).map(lower);
  const other: WriteKind = { kind: "other", keys: [`other:${m}:${e.path}`], idempotent: false };
  if (m === "POST" && segs[0] === "directory" && segs[1] === "deletedItems" && segs[3] === "restore" && segs[2]) return { kind: "restore", keys: [`restore:${lower(segs[2])}`], idempotent: false };
  if (!COLLECTIONS.has(segs[0] ?? "") || !segs[1]) return other;
  const id = lower(segs[1]);
  if (segs.length === 2) {
    if (m === "DELETE") return { kind: "softDelete", keys: [`softDelete:${id}`], idempotent: false };
    if (m === "PATCH" && refs.length > 0) return { kind: "memberBind", keys: refs.map((t) => `add:${id}:members:${t}`), idempotent: false };
    if (m === "PATCH") return { kind: "propertyPatch", keys: [`patch:${id}`], idempotent: true };
    return other;
  }
  const link = segs[2]!;
  if (link === "manager" && segs[3] === "$ref") {
    if (m === "PUT") return { kind: "managerSet", keys: [`manager:${id}:${refs[0] ?? "?"}`], idempotent: true };
    if (m === "DELETE") return { kind: "managerRemove", keys: [`managerRemove:${id}`], idempotent: false };
  }
  if (m === "POST" && segs[3] === "$ref" && segs.length === 4) return { kind: "refAdd", keys: [`add:${id}:${link}:${refs[0] ?? "?"}`], idempotent: false };
  if (m === "DELETE" && segs.length === 5 && segs[4] === "$ref") return { kind: "refRemove", keys: [`remove:${id}:${link}:${lower(segs[3]!)}`], idempotent: false };
  return other;
}

const ok = (e: WriteEntry): boolean => e.status >= 200 && e.status < 300;

/** A change of the plan with its outcome, as the ledger checks it. */
export interface PlannedChange {
  readonly change: Change;
  readonly outcome: ChangeOutcome["outcome"];
  readonly message?: string;
}

/** A few examples of something, and how many in all. */
export interface Sample {
  count: number;
  readonly examples: string[];
}

const SAMPLE = 8;
const sample = (): Sample => ({ count: 0, examples: [] });
function note(s: Sample, what: string): void {
  s.count++;
  if (s.examples.length < SAMPLE) s.examples.push(what);
}

/** What the write log shows against the plan. */
export interface LedgerFigures {
  readonly entries: number;
  readonly successfulWrites: number;
  /** Successful writes by kind. */
  readonly byKind: Record<string, number>;
  /** Writes Graph refused (4xx/5xx from the handler), by kind and status. */
  readonly refused: Record<string, number>;
  /** Each applied change has its writes exactly once (restore, soft delete, each link target, one state-changing PATCH). */
  readonly appliedNotExactlyOnce: Sample;
  /** The same key changed the tenant twice (any change, any outcome). */
  readonly stateChangingRepeats: Sample;
  /** A write that is not safe to repeat, sent again after one like it had landed. */
  readonly blindResends: Sample;
  /** A PATCH or manager PUT sent again after it had landed (its answer lost), changing nothing the second time. */
  readonly idempotentResends: Sample;
  /** Writes whose answer the simulator lost after carrying them out, by how, and how the client settled them. */
  readonly lostAnswers: { total: number; byHow: Record<string, number>; nonIdempotent: number; nonIdempotentSentAgain: number; idempotentSentAgain: number };
  /** Writes to objects the recovery had no change for (nothing outside the approved plan may be written). */
  readonly unplannedWrites: Sample;
  /** Writes to objects whose change was skipped. */
  readonly writesToSkipped: Sample;
}

/**
 * Checks the simulator's write log of a recovery against its plan and outcomes: every applied change was
 * written exactly once (the writes a restore, soft delete, PATCH or link change needs), nothing changed the
 * tenant twice, nothing that is unsafe to repeat was sent again after it landed, nothing outside the plan
 * was written. A restored object's own links are re-read and written as needed at run time, so they are
 * checked by the no-repeat rules rather than against the report.
 */
export function checkLedger(plan: readonly PlannedChange[], entries: readonly WriteEntry[]): LedgerFigures {
  const byKey = new Map<string, WriteEntry[]>();
  const kinds = new Map<number, WriteKind>();
  const byKind: Record<string, number> = {};
  const refused: Record<string, number> = {};
  let successfulWrites = 0;
  for (const e of entries) {
    const k = kindOf(e);
    kinds.set(e.seq, k);
    if (ok(e)) {
      successfulWrites++;
      byKind[k.kind] = (byKind[k.kind] ?? 0) + 1;
    } else refused[`${k.kind} ${e.status}`] = (refused[`${k.kind} ${e.status}`] ?? 0) + 1;
    for (const key of k.keys) {
      const list = byKey.get(key);
      if (list) list.push(e);
      else byKey.set(key, [e]);
    }
  }

  const stateChangingRepeats = sample();
  const blindResends = sample();
  const idempotentResends = sample();
  for (const [key, list] of byKey) {
    const changed = list.filter((e) => e.changed);
    if (changed.length > 1) note(stateChangingRepeats, `${key}: ${changed.length} writes changed the tenant`);
    const firstOk = list.findIndex(ok);
    if (firstOk < 0) continue;
    for (const later of list.slice(firstOk + 1)) {
      const k = kinds.get(later.seq)!;
      if (k.idempotent) note(idempotentResends, `${key} ${later.method} ${later.status}${later.changed ? " CHANGED" : ""}`);
      else note(blindResends, `${key}: ${later.method} ${later.path} answered ${later.status} after it had landed`);
    }
  }

  const appliedNotExactlyOnce = sample();
  const successes = (key: string): number => (byKey.get(key) ?? []).filter(ok).length;
  const changes = (key: string): number => (byKey.get(key) ?? []).filter((e) => e.changed).length;
  const expectOnce = (what: string, n: number): void => {
    if (n !== 1) note(appliedNotExactlyOnce, `${what}: ${n}`);
  };
  const planned = new Set<string>();
  const restored = new Set<string>();
  const skipped = new Set<string>();
  for (const { change: c, outcome } of plan) {
    const id = lower(c.id);
    planned.add(id);
    if (outcome === "skipped") skipped.add(id);
    if (c.recoveryAction === "restore") restored.add(id);
    if (outcome !== "applied") continue;
    if (c.recoveryAction === "restore") expectOnce(`restore of ${id}`, successes(`restore:${id}`));
    if (c.recoveryAction === "softDelete") {
      expectOnce(`soft delete of ${id}`, successes(`softDelete:${id}`));
      continue;
    }
    if (c.deltaFromCurrent.properties.length > 0) expectOnce(`state-changing PATCH of ${id}`, changes(`patch:${id}`));
    if (c.recoveryAction !== "update") continue;
    for (const l of c.deltaFromCurrent.links) {
      const single = CATALOG[c.entityTypeName].links.find((d) => d.name === l.link)?.cardinality === "one";
      if (single) {
        if (l.toAdd[0] !== undefined) expectOnce(`${l.link} of ${id} set to ${l.toAdd[0]}`, changes(`manager:${id}:${lower(l.toAdd[0])}`));
        else if (l.toRemove[0] !== undefined) expectOnce(`${l.link} of ${id} removed`, successes(`managerRemove:${id}`));
        continue;
      }
      for (const t of l.toAdd) expectOnce(`${l.link} ${t} added to ${id}`, successes(`add:${id}:${l.link}:${lower(t)}`));
      for (const t of l.toRemove) expectOnce(`${l.link} ${t} removed from ${id}`, successes(`remove:${id}:${l.link}:${lower(t)}`));
    }
  }

  const unplannedWrites = sample();
  const writesToSkipped = sample();
  for (const e of entries) {
    if (!ok(e)) continue;
    const id = e.id ? lower(e.id) : "";
    // A restored object's incoming links are written on the other object, naming the restored one.
    const incoming = (e.refs ?? []).some((t) => restored.has(lower(t)));
    if (!planned.has(id) && !incoming) note(unplannedWrites, `${e.method} ${e.path}`);
    if (skipped.has(id)) note(writesToSkipped, `${e.method} ${e.path}`);
  }

  const lost = entries.filter((e) => e.lost !== undefined);
  const byHow: Record<string, number> = {};
  let nonIdempotent = 0;
  let nonIdempotentSentAgain = 0;
  let idempotentSentAgain = 0;
  for (const e of lost) {
    byHow[e.lost!] = (byHow[e.lost!] ?? 0) + 1;
    const k = kinds.get(e.seq)!;
    const again = k.keys.some((key) => (byKey.get(key) ?? []).some((x) => x.seq > e.seq));
    if (k.idempotent) idempotentSentAgain += again ? 1 : 0;
    else {
      nonIdempotent++;
      nonIdempotentSentAgain += again ? 1 : 0;
    }
  }

  return {
    entries: entries.length,
    successfulWrites,
    byKind,
    refused,
    appliedNotExactlyOnce,
    stateChangingRepeats,
    blindResends,
    idempotentResends,
    lostAnswers: { total: lost.length, byHow, nonIdempotent, nonIdempotentSentAgain, idempotentSentAgain },
    unplannedWrites,
    writesToSkipped,
  };
}
