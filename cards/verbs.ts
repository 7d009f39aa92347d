/**
 * The card-action contract: every button on every Rewind card is an `Action.Execute` with one of these verbs
 * and data of that verb's shape. The bot parses every click with `parseVerbData` before it does anything;
 * the engine re-checks ids, roles and digests, so these schemas only refuse what is plainly malformed or
 * tampered with (unknown verbs, missing, wrong or extra fields).
 */
import { z } from "zod";
import { OBJECT_TYPES } from "../core/model/catalog";
import { RECOVERY_ACTIONS } from "../core/model/change";
import { BACKUP_ID_EXAMPLE, backupIdSchema, guidSchema } from "../core/model/ids";

/** Every verb a Rewind card can send. */
export const CARD_VERBS = [
  "help.show",
  "whoami.show",
  "backups.list",
  "report.start",
  "report.summary",
  "report.changes",
  "changes.page",
  "recovery.request",
  "recovery.view",
  "recovery.approve",
  "recovery.reject",
  "recovery.result",
  "job.cancel",
  "job.refresh",
  "jobs.list",
] as const;
export type CardVerb = (typeof CARD_VERBS)[number];

/** Object types and recovery actions a changes filter may name: the engine's own lists (plain data, no I/O). */
export const FILTER_OBJECT_TYPES = OBJECT_TYPES;
export const FILTER_ACTIONS = RECOVERY_ACTIONS;
export const OUTCOME_FILTERS = ["applied", "failed", "skipped"] as const;
export type OutcomeFilter = (typeof OUTCOME_FILTERS)[number];

/** Error text for a field, saying "is missing" when absent and what is accepted otherwise. */
const said = (accepted: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? "is missing" : `must be ${accepted}`;

const DIGEST = /^[0-9a-f]{64}$/i;

// Ids are read by core/model/ids.ts's rules (GUIDs in lower case, backup ids in any case, canonicalized).
const jobId = guidSchema(said("a job id (36 characters, hex digits and dashes)"));
const requestId = guidSchema(said("a request id (36 characters, hex digits and dashes)"));
const reportId = guidSchema(said("a report job id (36 characters, hex digits and dashes)"));
const backupId = backupIdSchema(said(`a backup id such as ${BACKUP_ID_EXAMPLE}`));
const digest = z.string({ error: said("a 64-character hex digest") }).regex(DIGEST, { error: "must be a 64-character hex digest" });
const page = z
  .number({ error: said("a whole number from 1 to 100000") })
  .int({ error: "must be a whole number from 1 to 100000" })
  .min(1, { error: "must be a whole number from 1 to 100000" })
  .max(100_000, { error: "must be a whole number from 1 to 100000" });
const type = z.enum(FILTER_OBJECT_TYPES, { error: said(`one of ${FILTER_OBJECT_TYPES.join(", ")}`) });
const action = z.enum(FILTER_ACTIONS, { error: said(`one of ${FILTER_ACTIONS.join(", ")}`) });
const outcome = z.enum(OUTCOME_FILTERS, { error: said(`one of ${OUTCOME_FILTERS.join(", ")}`) });

const decision = z.strictObject({ requestId, reportId, digest });

/** Each verb's data schema (strict: a field the card never carries is refused as tampering). */
export const VERB_DATA = {
  "help.show": z.strictObject({}),
  "whoami.show": z.strictObject({}),
  "backups.list": z.strictObject({ page: page.optional() }),
  "report.start": z.strictObject({ backupId }),
  "report.summary": z.strictObject({ jobId }),
  "report.changes": z.strictObject({ jobId }),
  "changes.page": z.strictObject({ jobId, page, type: type.optional(), action: action.optional(), outcome: outcome.optional() }),
  "recovery.request": z.strictObject({ reportId }),
  "recovery.view": decision,
  "recovery.approve": decision,
  "recovery.reject": decision,
  "recovery.result": z.strictObject({ jobId }),
  "job.cancel": z.strictObject({ jobId }),
  "job.refresh": z.strictObject({ jobId }),
  "jobs.list": z.strictObject({ backupId: backupId.optional(), page: page.optional() }),
} as const satisfies Record<CardVerb, z.ZodType>;

/** The data a verb's button carries. */
export type VerbData<V extends CardVerb> = z.infer<(typeof VERB_DATA)[V]>;

/** A click that passed the contract, narrowed by verb. */
export type ParsedVerb = { [V in CardVerb]: { readonly ok: true; readonly verb: V; readonly data: VerbData<V> } }[CardVerb];

/** A click that did not: `error` says what was wrong, in plain words. */
export interface VerbRefusal {
  readonly ok: false;
  readonly error: string;
}

/** Whether a string is one of the card verbs. */
export function isCardVerb(verb: string): verb is CardVerb {
  return (CARD_VERBS as readonly string[]).includes(verb);
}

/**
 * Parses a click's verb and data. A top-level `msteams` key (added by Teams) is dropped; nothing else is
 * ignored. Absent data counts as `{}` (Teams omits an empty data object).
 */
export function parseVerbData(verb: string, data: unknown): ParsedVerb | VerbRefusal {
  if (!isCardVerb(verb)) {
    return { ok: false, error: `Unknown card action "${clip(verb)}". Known actions: ${CARD_VERBS.join(", ")}.` };
  }
  const raw = data === undefined || data === null ? {} : data;
  if (typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, error: `The data of "${verb}" must be an object of named fields.` };
  }
  const { msteams: _teams, ...fields } = raw as Record<string, unknown>;
  void _teams;
  const result = VERB_DATA[verb].safeParse(fields);
  if (!result.success) return { ok: false, error: `The data of "${verb}" is not valid: ${describeIssues(result.error.issues)}.` };
  return { ok: true, verb, data: result.data } as ParsedVerb;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      if (issue.code === "unrecognized_keys") {
        const keys = issue.keys.map((k) => `"${clip(k)}"`).join(", ");
        return `${keys} ${issue.keys.length === 1 ? "is" : "are"} not expected here (the card's data may have been altered)`;
      }
      const field = issue.path.map(String).join(".");
      return field ? `"${field}" ${issue.message}` : issue.message;
    })
    .join("; ");
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
