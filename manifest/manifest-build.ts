import { readFileSync } from "node:fs";
import path from "node:path";
import { COMMAND_USAGE } from "../bot/views/help-view";
import type { PackageSettings } from "./package-settings";

/** The files a Teams app package holds, at the zip's root. */
export const PACKAGE_FILES = ["manifest.json", "color.png", "outline.png"] as const;

/** A chat command's title in Teams' command menu: its usage up to the first argument ("backup now", "diff"). */
export function commandTitle(usage: string): string {
  const words: string[] = [];
  for (const word of usage.split(" ")) {
    if (word.startsWith("<") || word.startsWith("[")) break;
    words.push(word);
  }
  return words.join(" ");
}

/**
 * The manifest: the template with every `{{NAME}}` filled in, and the command menu built from the bot's own
 * command list (so every command the bot understands is listed, in personal chats and in teams alike).
 */
export function buildManifest(settings: PackageSettings): Record<string, unknown> {
  const template: unknown = JSON.parse(readFileSync(path.join(__dirname, "manifest.template.json"), "utf8"));
  const filled = fill(template, settings) as Record<string, unknown> & { bots: Array<Record<string, unknown>> };
  const commands = Object.values(COMMAND_USAGE).map((c) => ({ title: commandTitle(c.usage), description: c.purpose }));
  filled.bots[0]!.commandLists = [
    { scopes: ["personal"], commands },
    { scopes: ["team"], commands },
  ];
  return filled;
}

/** Replaces placeholders in string values only: a setting can never change the JSON's shape. */
function fill(value: unknown, settings: PackageSettings): unknown {
  if (typeof value === "string") {
    return value.replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => {
      const v = (settings as Record<string, string | undefined>)[name];
      if (v === undefined) throw new Error(`The manifest template names ${whole}, which no setting fills.`);
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, settings));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, settings)]));
  return value;
}
