/** Data shapes several cards share. */
import { z } from "zod";

/** A label and its value, shown as a FactSet row. */
export const factSchema = z.strictObject({ title: z.string().min(1), value: z.string() });
export type Fact = z.infer<typeof factSchema>;

/** Adaptive Card text colours Rewind uses to mark good, warning and bad news. */
export const TEXT_COLORS = ["Default", "Accent", "Good", "Warning", "Attention"] as const;
export const textColorSchema = z.enum(TEXT_COLORS);
export type TextColor = z.infer<typeof textColorSchema>;

/** A line of text with its colour. */
export const lineSchema = z.strictObject({ text: z.string().min(1), color: textColorSchema });
export type Line = z.infer<typeof lineSchema>;

/** Container styles (the coloured band behind a notice). */
export const containerStyleSchema = z.enum(["default", "good", "attention", "warning"]);
export type ContainerStyle = z.infer<typeof containerStyleSchema>;

/** A short text list (one TextBlock per entry). */
export const textsSchema = z.array(z.string().min(1));
