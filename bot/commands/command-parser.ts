import { z } from "zod";
import { CATALOG, OBJECT_TYPES, type ObjectType } from "../../core/model/catalog";
import { RECOVERY_ACTIONS, type RecoveryAction } from "../../core/model/change";
import { BACKUP_ID_EXAMPLE, GUID_EXAMPLE, OBJECT_ID_EXAMPLE, parseBackupId, parseGuid } from "../../core/model/ids";
import { COMMAND_USAGE, type CommandName } from "../views";

/** All usage lines, one per line (for "unknown command"). */
function allUsage(): string {
  return Object.values(COMMAND_USAGE)
    .map((c) => c.usage)
    .join("\n");
}

/** A chat command, typed. Ids are checked for shape here; the engine checks them again and decides. */
export type Command =
  | { readonly name: "help" }
  | { readonly name: "backups"; readonly page: number }
  | { readonly name: "backupNow" }
  | {
      readonly name: "diff";
      readonly backupId: string; // a backup id, or "latest"
      readonly types?: readonly ObjectType[];
      readonly ids?: readonly string[];
      readonly attributes?: readonly string[];
    }
  | { readonly name: "jobs"; readonly backupId?: string; readonly page: number }
  | { readonly name: "job"; readonly jobId: string }
  | {
      readonly name: "changes";
      readonly jobId: string;
      readonly type?: ObjectType;
      readonly action?: RecoveryAction;
      readonly outcome?: "applied" | "failed" | "skipped";
      readonly page: number;
    }
  | { readonly name: "recover"; readonly reportId: string; readonly types?: readonly ObjectType[]; readonly ids?: readonly string[] }
  | { readonly name: "cancel"; readonly jobId: string }
  | { readonly name: "whoami" };

/** Why a message is not a command: what was wrong, and the usage to show. */
export interface CommandError {
  readonly error: string;
  readonly usage: string;
}

export type ParseResult = { readonly ok: true; readonly command: Command } | { readonly ok: false; readonly problem: CommandError };

// Room for a scope of 1,000 object ids (37 characters each), the most a scope may name.
const MAX_TEXT = 40_000;
// The most a message may hold before its markup is removed: a command at its longest with room for Teams'
// formatting (mentions, tags, &nbsp;). Checked first, so nothing longer is ever scanned.
const MAX_RAW_TEXT = 100_000;

const TYPE_BY_LOWER = new Map(OBJECT_TYPES.map((t) => [t.toLowerCase(), t] as const));
const ACTION_BY_LOWER = new Map(RECOVERY_ACTIONS.map((a) => [a.toLowerCase(), a] as const));
// Attribute names as the catalog spells them, found case-insensitively (admins type "Department").
const ATTRIBUTE_BY_LOWER = new Map<string, string>();
for (const t of OBJECT_TYPES) {
  for (const p of CATALOG[t].properties) ATTRIBUTE_BY_LOWER.set(p.name.toLowerCase(), p.name);
  for (const l of CATALOG[t].links) ATTRIBUTE_BY_LOWER.set(l.name.toLowerCase(), l.name);
}

const page = z.coerce.number({ message: "page must be a whole number from 1" }).int("page must be a whole number from 1").min(1, "page must be a whole number from 1").max(100_000, "page must be at most 100000");

/**
 * Turns a chat message into a command. Teams wraps mentions in `<at>` tags and may send HTML, so those are
 * stripped first; keywords and option names are case-insensitive. Anything unexpected is refused with what
 * was wrong and the command's usage; nothing is guessed.
 */
export function parseCommand(raw: string): ParseResult {
  if (raw.length > MAX_RAW_TEXT) return fail(`The message is too long (${raw.length} characters with its formatting; a command is at most ${MAX_TEXT}).`, allUsage());
  const text = normalizeMessage(raw);
  if (text.length === 0) return fail("The message is empty.", allUsage());
  if (text.length > MAX_TEXT) return fail(`The message is too long (${text.length} characters; a command is at most ${MAX_TEXT}).`, allUsage());
  const words = text.split(/\s+/);
  const keyword = words[0]!.toLowerCase();
  const rest = words.slice(1);
  try {
    switch (keyword) {
      case "help":
      case "?":
        return noArgs("help", rest) ?? ok({ name: "help" });
      case "whoami":
        return noArgs("whoami", rest) ?? ok({ name: "whoami" });
      case "backups": {
        const { positional, options } = split("backups", rest, ["page"]);
        if (positional.length > 0) return fail(`"backups" takes no ${quote(positional[0]!)}.`, COMMAND_USAGE.backups.usage);
        return ok({ name: "backups", page: parsePage(options.get("page"), "backups") });
      }
      case "backup": {
        if (rest.length === 1 && rest[0]!.toLowerCase() === "now") return ok({ name: "backupNow" });
        return fail(rest.length === 0 ? `"backup" needs "now".` : `"backup" takes only "now", not ${quote(rest.join(" "))}.`, COMMAND_USAGE.backupNow.usage);
      }
      case "diff":
        return parseDiff(rest);
      case "jobs": {
        const { positional, options } = split("jobs", rest, ["backup", "page"]);
        if (positional.length > 0) return fail(`"jobs" takes no ${quote(positional[0]!)}; filter with backup=<backupId>.`, COMMAND_USAGE.jobs.usage);
        const backup = options.get("backup");
        const backupId = backup === undefined ? undefined : parseBackupId(backup);
        if (backup !== undefined && !backupId) return badBackupId(backup, "jobs");
        return ok({ name: "jobs", page: parsePage(options.get("page"), "jobs"), ...(backupId ? { backupId } : {}) });
      }
      case "job":
        return oneId("job", rest, (jobId) => ({ name: "job", jobId }));
      case "cancel":
        return oneId("cancel", rest, (jobId) => ({ name: "cancel", jobId }));
      case "recover":
        return parseRecover(rest);
      case "changes":
        return parseChanges(rest);
      default:
        return fail(`"${keyword.slice(0, 40)}" is not a Rewind command.`, allUsage());
    }
  } catch (err) {
    if (err instanceof UsageError) return { ok: false, problem: err.problem };
    throw err;
  }
}

function parseDiff(rest: readonly string[]): ParseResult {
  const { positional, options } = split("diff", rest, ["type", "id", "attr"]);
  if (positional.length === 0) return fail(`"diff" needs a backup id (or "latest").`, COMMAND_USAGE.diff.usage);
  if (positional.length > 1) return fail(`"diff" takes one backup id, not also ${quote(positional[1]!)}.`, COMMAND_USAGE.diff.usage);
  const target = positional[0]!;
  const backupId = target.toLowerCase() === "latest" ? "latest" : parseBackupId(target);
  if (backupId === null) return badBackupId(target, "diff");
  const { types, ids } = typesAndIds(options, COMMAND_USAGE.diff.usage);
  const attributes = listOption(options.get("attr"), "attr")?.map((a) => ATTRIBUTE_BY_LOWER.get(a.toLowerCase()) ?? a);
  return ok({
    name: "diff",
    backupId,
    ...(types ? { types } : {}),
    ...(ids ? { ids } : {}),
    ...(attributes ? { attributes } : {}),
  });
}

function parseRecover(rest: readonly string[]): ParseResult {
  const usage = COMMAND_USAGE.recover.usage;
  const { positional, options } = split("recover", rest, ["type", "id"]);
  if (positional.length !== 1) {
    return fail(positional.length === 0 ? `"recover" needs a difference report's job id.` : `"recover" takes one report id, not also ${quote(positional[1]!)}.`, usage);
  }
  const reportText = positional[0]!;
  const reportId = parseGuid(reportText);
  if (reportId === null) return fail(`"${reportText.slice(0, 40)}" is not a difference report's job id (a GUID such as ${GUID_EXAMPLE}).`, usage);
  const { types, ids } = typesAndIds(options, usage);
  return ok({ name: "recover", reportId, ...(types ? { types } : {}), ...(ids ? { ids } : {}) });
}

/** `type=` and `id=` as `diff` and `recover` take them: known types, GUIDs, and ids only with exactly one type. */
function typesAndIds(options: ReadonlyMap<string, string>, usage: string): { types?: ObjectType[]; ids?: string[] } {
  const types = listOption(options.get("type"), "type")?.map((t) => {
    const known = TYPE_BY_LOWER.get(t.toLowerCase());
    if (!known) throw new UsageError(`Unknown object type "${t.slice(0, 40)}". Accepted types: ${OBJECT_TYPES.join(", ")}.`, usage);
    return known;
  });
  const ids = listOption(options.get("id"), "id")?.map((text) => {
    const id = parseGuid(text);
    if (id === null) throw new UsageError(`"${text.slice(0, 40)}" is not an object id (a GUID such as ${OBJECT_ID_EXAMPLE}).`, usage);
    return id;
  });
  if (ids && (types?.length ?? 0) !== 1) {
    // An id alone does not say which type to read it as; guessing could report a live object as deleted.
    throw new UsageError("id= needs exactly one type= naming the ids' object type (for example type=user).", usage);
  }
  return { ...(types ? { types } : {}), ...(ids ? { ids } : {}) };
}

function parseChanges(rest: readonly string[]): ParseResult {
  const { positional, options } = split("changes", rest, ["type", "action", "outcome", "page"]);
  if (positional.length !== 1) {
    return fail(positional.length === 0 ? `"changes" needs a job id.` : `"changes" takes one job id, not also ${quote(positional[1]!)}.`, COMMAND_USAGE.changes.usage);
  }
  const jobText = positional[0]!;
  const jobId = parseGuid(jobText);
  if (jobId === null) return fail(`"${jobText.slice(0, 40)}" is not a job id (a GUID).`, COMMAND_USAGE.changes.usage);
  const typeText = options.get("type");
  const type = typeText === undefined ? undefined : TYPE_BY_LOWER.get(typeText.toLowerCase());
  if (typeText !== undefined && !type) return fail(`Unknown object type "${typeText.slice(0, 40)}". Accepted types: ${OBJECT_TYPES.join(", ")}.`, COMMAND_USAGE.changes.usage);
  const actionText = options.get("action");
  const action = actionText === undefined ? undefined : ACTION_BY_LOWER.get(actionText.toLowerCase());
  if (actionText !== undefined && !action) return fail(`Unknown action "${actionText.slice(0, 40)}". Accepted: ${RECOVERY_ACTIONS.join(", ")}.`, COMMAND_USAGE.changes.usage);
  const outcomeText = options.get("outcome")?.toLowerCase();
  if (outcomeText !== undefined && outcomeText !== "applied" && outcomeText !== "failed" && outcomeText !== "skipped") {
    return fail(`Unknown outcome "${outcomeText.slice(0, 40)}". Accepted: applied, failed, skipped.`, COMMAND_USAGE.changes.usage);
  }
  return ok({
    name: "changes",
    jobId,
    page: parsePage(options.get("page"), "changes"),
    ...(type ? { type } : {}),
    ...(action ? { action } : {}),
    ...(outcomeText ? { outcome: outcomeText } : {}),
  });
}

/** Splits words into positional arguments and `key=value` options (known keys only, each once). */
function split(command: CommandName, words: readonly string[], keys: readonly string[]): { positional: string[]; options: Map<string, string> } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (const word of words) {
    const eq = word.indexOf("=");
    if (eq < 0) {
      positional.push(word);
      continue;
    }
    const key = word.slice(0, eq).toLowerCase();
    const value = word.slice(eq + 1);
    if (!keys.includes(key)) {
      throw new UsageError(
        keys.length === 0 ? `"${command}" takes no options (got ${quote(word)}).` : `Unknown option "${key.slice(0, 40)}=". "${COMMAND_USAGE[command].usage.split(" ")[0]}" accepts ${keys.map((k) => `${k}=`).join(", ")}.`,
        COMMAND_USAGE[command].usage,
      );
    }
    if (options.has(key)) throw new UsageError(`The option ${key}= is given twice; list several values with commas (${key}=a,b).`, COMMAND_USAGE[command].usage);
    if (value.length === 0) throw new UsageError(`The option ${key}= has no value.`, COMMAND_USAGE[command].usage);
    options.set(key, value);
  }
  return { positional, options };
}

function listOption(value: string | undefined, key: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(",").map((s) => s.trim());
  if (items.some((s) => s.length === 0)) throw new UsageError(`The option ${key}= has an empty item; separate values with single commas.`, COMMAND_USAGE.diff.usage);
  return [...new Set(items)];
}

function parsePage(value: string | undefined, command: CommandName): number {
  if (value === undefined) return 1;
  const parsed = page.safeParse(value);
  if (!parsed.success) throw new UsageError(`${parsed.error.issues[0]?.message ?? "page is invalid"} (got ${quote(value)}).`, COMMAND_USAGE[command].usage);
  return parsed.data;
}

function oneId(command: "job" | "cancel", rest: readonly string[], make: (id: string) => Command): ParseResult {
  const usage = COMMAND_USAGE[command].usage;
  const what = "a job id";
  if (rest.length === 0) return fail(`"${command}" needs ${what}.`, usage);
  if (rest.length > 1) return fail(`"${command}" takes one id, not also ${quote(rest[1]!)}.`, usage);
  const text = rest[0]!;
  const id = parseGuid(text);
  if (id === null) return fail(`"${text.slice(0, 40)}" is not ${what} (a GUID such as ${GUID_EXAMPLE}).`, usage);
  return ok(make(id));
}

function noArgs(command: "help" | "whoami", rest: readonly string[]): ParseResult | undefined {
  return rest.length > 0 ? fail(`"${command}" takes nothing after it (got ${quote(rest.join(" "))}).`, COMMAND_USAGE[command].usage) : undefined;
}

function badBackupId(value: string, command: "diff" | "jobs"): ParseResult {
  return fail(`"${value.slice(0, 40)}" is not a backup id. A backup id is its UTC timestamp, such as ${BACKUP_ID_EXAMPLE} (type "backups" to list them).`, COMMAND_USAGE[command].usage);
}

/**
 * Removes Teams mentions and markup, and folds non-breaking spaces. Every step is linear in the text: tags
 * are found by scanning (a pattern such as `<[^>]+>` rescans the rest of the text from every unclosed `<`,
 * seconds on 60,000 of them, blocking every turn and heartbeat), and the entity patterns are literals.
 */
export function normalizeMessage(raw: string): string {
  return stripTags(stripMentions(raw))
    .replace(/&nbsp;|\u00a0/gi, " ")
    .replace(/&amp;/g, "&")
    .trim();
}

/** Replaces each `<at>name</at>` (any case; the name holds no `<`) with a space. */
function stripMentions(text: string): string {
  let out = "";
  let from = 0;
  let i = text.indexOf("<");
  while (i >= 0) {
    if (text.slice(i + 1, i + 4).toLowerCase() !== "at>") {
      i = text.indexOf("<", i + 1);
      continue;
    }
    const next = text.indexOf("<", i + 4);
    if (next >= 0 && text.slice(next, next + 5).toLowerCase() === "</at>") {
      out += `${text.slice(from, i)} `;
      from = next + 5;
      i = text.indexOf("<", from);
    } else {
      // No mention starts at i; the next one can only start at that next `<`.
      i = next;
    }
  }
  return out + text.slice(from);
}

/** Replaces each tag, a `<` then at least one character up to the first `>`, with a space. */
function stripTags(text: string): string {
  let out = "";
  let from = 0;
  let i = text.indexOf("<");
  while (i >= 0) {
    const end = text.indexOf(">", i + 1);
    if (end < 0) break; // no `>` left: nothing further is a tag
    if (end === i + 1) {
      i = text.indexOf("<", i + 1); // `<>` is not a tag
      continue;
    }
    out += `${text.slice(from, i)} `;
    from = end + 1;
    i = text.indexOf("<", from);
  }
  return out + text.slice(from);
}

function quote(s: string): string {
  return `"${s.slice(0, 40)}"`;
}

function ok(command: Command): ParseResult {
  return { ok: true, command };
}

function fail(error: string, usage: string): ParseResult {
  return { ok: false, problem: { error, usage } };
}

class UsageError extends Error {
  readonly problem: CommandError;
  constructor(error: string, usage: string) {
    super(error);
    this.problem = { error, usage };
  }
}
