import { createHash } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import type { AdaptiveCard } from "../../bot/views";

/** Where the screenshots live, with index.json recording what each one shows. */
export const SHOTS_DIR = path.join(__dirname, "..", "..", "docs", "cards");

/** docs/cards/index.json: per card, the SHA-256 of the card JSON its PNG shows, and the PNG's size. */
export const ShotIndexSchema = z.object({
  renderer: z.string(),
  cards: z.array(z.object({ name: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), width: z.number().int(), height: z.number().int() }).strict()),
}).strict();

export type ShotIndex = z.infer<typeof ShotIndexSchema>;

/** The digest that ties a screenshot to the card it shows. */
export function cardDigest(card: AdaptiveCard): string {
  return createHash("sha256").update(JSON.stringify(card)).digest("hex");
}
