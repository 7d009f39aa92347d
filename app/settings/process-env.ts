import { z } from "zod";
import { ShutdownEnvSchema } from "../shutdown";

/** pino's levels. */
export const LogEnv = z.object({
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { message: "must be one of fatal, error, warn, info, debug, trace, silent" }).default("info"),
});

/** The log section. */
export interface LogSettings {
  readonly level: z.output<typeof LogEnv>["LOG_LEVEL"];
}

/** The process's own settings: how long a graceful stop may take. */
export const ProcessEnv = ShutdownEnvSchema;

/** The process section. */
export interface ProcessSettings {
  /** SHUTDOWN_SECONDS, in milliseconds. */
  readonly shutdownMs: number;
}
