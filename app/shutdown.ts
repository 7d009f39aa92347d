import { constants } from "node:os";
import type { Logger } from "pino";
import { z } from "zod";

/** The process's own settings (see .env.sample). */
export const ShutdownEnvSchema = z.object({
  SHUTDOWN_SECONDS: z.coerce.number().int("must be a whole number of seconds").min(1, "must be at least 1 second").max(3600, "must be at most 3600 seconds").default(25),
});

/** What a shutdown does and how long it may take. */
export interface ShutdownOptions {
  readonly log: Logger;
  /** The graceful stop must end within this; past it the process exits at once with code 1. */
  readonly deadlineMs: number;
  /**
   * Stops everything, in order: the bot stops taking turns (503) and lets those in flight finish, the engine
   * stops (the running job aborts at its next safe point), then Graph, the store and the rest close.
   */
  readonly stop: () => Promise<void>;
}

/**
 * One way out for every entry point. SIGTERM or SIGINT runs the graceful stop and exits 0; a second signal
 * exits at once (128 + the signal's number), and so does the deadline (1). An uncaught exception or unhandled
 * rejection is logged through the (redacting) logger and runs the same stop, ending with code 1.
 */
export function installShutdown(options: ShutdownOptions): void {
  const { log } = options;
  let stopping = false;
  let exitCode = 0;
  const begin = (code: number): void => {
    exitCode = Math.max(exitCode, code);
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      log.error({ deadlineMs: options.deadlineMs }, "shutdown deadline passed; exiting now");
      process.exit(1);
    }, options.deadlineMs);
    options.stop().then(
      () => {
        log.info({ exitCode }, "stopped");
        process.exit(exitCode);
      },
      (err: unknown) => {
        log.error({ err }, "shutdown failed; exiting now");
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, "second signal; exiting now");
      process.exit(128 + (constants.signals[signal] ?? 1));
    }
    log.info({ signal, deadlineMs: options.deadlineMs }, "stopping: no new turns, finishing those in flight");
    begin(0);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  process.on("uncaughtException", (err) => {
    log.fatal({ err }, "uncaught exception; stopping");
    begin(1);
  });
  process.on("unhandledRejection", (reason) => {
    log.fatal({ err: reason }, "unhandled rejection; stopping");
    begin(1);
  });
}
