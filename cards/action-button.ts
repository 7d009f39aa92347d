import { z } from "zod";
import { CARD_VERBS, parseVerbData } from "./verbs";

/**
 * A button whose verb is chosen by the caller (the error card's "back" button): its data must pass that
 * verb's schema, so no card can carry a click the bot would refuse.
 */
export const actionButtonSchema = z
  .strictObject({
    title: z.string().min(1).max(40),
    verb: z.enum(CARD_VERBS),
    data: z.record(z.string(), z.unknown()),
  })
  .superRefine((button, refinement) => {
    const parsed = parseVerbData(button.verb, button.data);
    if (!parsed.ok) refinement.addIssue({ code: "custom", message: parsed.error, path: ["data"] });
  });
export type ActionButton = z.input<typeof actionButtonSchema>;
