/** Checks every Rewind card must pass: the Adaptive Cards parser, size, templating leftovers, and the verb contract. */
import { CARD_VERBS, MAX_CARD_BYTES, cardBytes, parseVerbData } from "../../cards";

interface ParseEvent {
  readonly event: number;
  readonly message: string;
}
interface AcSerializationContext {
  readonly eventCount: number;
  getEventAt(i: number): ParseEvent;
}
interface AcCard {
  parse(json: unknown, ctx: AcSerializationContext): void;
  validateProperties(): { readonly validationEvents: readonly ParseEvent[] };
}
interface AcModule {
  AdaptiveCard: new () => AcCard;
  SerializationContext: new () => AcSerializationContext;
}

// The package's lib/ is extensionless ESM that Node's require cannot load; its dist build is a UMD bundle.
const AC = require("adaptivecards/dist/adaptivecards.js") as AcModule;

/** Parse and validation events the Adaptive Cards SDK reports for a card (none expected). */
export function sdkEvents(card: unknown): string[] {
  const parsed = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext();
  parsed.parse(card, ctx);
  const events: string[] = [];
  for (let i = 0; i < ctx.eventCount; i++) events.push(`parse: ${ctx.getEventAt(i).message}`);
  for (const e of parsed.validateProperties().validationEvents) events.push(`validate: ${e.message}`);
  return events;
}

/** An action found in a card, with where it is. */
export interface FoundAction {
  readonly path: string;
  readonly action: Record<string, unknown>;
}

/** Every object whose `type` starts with "Action." anywhere in the card (actions, ActionSets, selectAction, refresh). */
export function findActions(node: unknown, path = "$"): FoundAction[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => findActions(item, `${path}[${i}]`));
  if (typeof node !== "object" || node === null) return [];
  const obj = node as Record<string, unknown>;
  const here = typeof obj["type"] === "string" && obj["type"].startsWith("Action.") ? [{ path, action: obj }] : [];
  const below = Object.entries(obj).flatMap(([key, value]) => (key === "data" && here.length > 0 ? [] : findActions(value, `${path}.${key}`)));
  return [...here, ...below];
}

/** Every object with the given element type. */
export function findElements(node: unknown, type: string): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap((item) => findElements(item, type));
  if (typeof node !== "object" || node === null) return [];
  const obj = node as Record<string, unknown>;
  return [...(obj["type"] === type ? [obj] : []), ...Object.values(obj).flatMap((v) => findElements(v, type))];
}

/** Every string shown as text (TextBlock, TextRun, facts). */
export function texts(card: unknown): string[] {
  const out: string[] = [];
  for (const t of ["TextBlock", "TextRun"]) for (const e of findElements(card, t)) out.push(String(e["text"]));
  for (const f of findElements(card, "FactSet")) for (const fact of f["facts"] as { title: string; value: string }[]) out.push(fact.title, fact.value);
  return out;
}

/** The problems of a card; empty when it passes every rule. */
export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const json = JSON.stringify(card);
  const c = card as Record<string, unknown>;
  if (c["type"] !== "AdaptiveCard") problems.push(`type is ${String(c["type"])}`);
  if (c["version"] !== "1.5") problems.push(`version is ${String(c["version"])}`);
  const bytes = cardBytes(card);
  if (bytes >= MAX_CARD_BYTES) problems.push(`${bytes} bytes, limit ${MAX_CARD_BYTES}`);
  if (json.includes("${")) problems.push(`unexpanded template text at ${json.indexOf("${")}: ${json.slice(json.indexOf("${"), json.indexOf("${") + 40)}`);
  if (json.includes(":null")) problems.push("a null member (a $when left it behind)");
  problems.push(...sdkEvents(card));
  for (const { path, action } of findActions(card)) {
    if (action["type"] !== "Action.Execute") problems.push(`${path}: ${String(action["type"])} (only Action.Execute is allowed)`);
    const verb = action["verb"];
    if (typeof verb !== "string" || !(CARD_VERBS as readonly string[]).includes(verb)) {
      problems.push(`${path}: verb ${String(verb)} is not a card verb`);
      continue;
    }
    const parsed = parseVerbData(verb, action["data"]);
    if (!parsed.ok) problems.push(`${path}: ${parsed.error}`);
    if (!path.startsWith("$.refresh") && (typeof action["title"] !== "string" || action["title"].length === 0)) problems.push(`${path}: no title`);
  }
  for (const t of ["TextBlock", "TextRun"]) {
    for (const e of findElements(card, t)) if (typeof e["text"] !== "string" || e["text"].length === 0) problems.push(`${t} with text ${JSON.stringify(e["text"])}`);
  }
  for (const f of findElements(card, "FactSet")) {
    const facts = f["facts"] as unknown[];
    if (!Array.isArray(facts) || facts.length === 0) problems.push("empty FactSet");
    for (const fact of facts as Record<string, unknown>[]) if (typeof fact["title"] !== "string" || typeof fact["value"] !== "string") problems.push(`fact ${JSON.stringify(fact)}`);
  }
  for (const e of findElements(card, "Container")) if (!Array.isArray(e["items"]) || e["items"].length === 0) problems.push("empty Container");
  for (const e of findElements(card, "ActionSet")) {
    const n = (e["actions"] as unknown[]).length;
    if (n === 0 || n > 5) problems.push(`ActionSet with ${n} actions`);
  }
  // Teams shows at most six card-level buttons; Rewind keeps to five.
  if (Array.isArray(c["actions"]) && (c["actions"].length === 0 || c["actions"].length > 5)) problems.push(`${c["actions"].length} card actions`);
  return problems;
}

/** The card-level and ActionSet buttons by title. */
export function buttons(card: unknown): Map<string, Record<string, unknown>> {
  const map = new Map<string, Record<string, unknown>>();
  for (const { path, action } of findActions(card)) if (!path.startsWith("$.refresh")) map.set(String(action["title"]), action);
  return map;
}
