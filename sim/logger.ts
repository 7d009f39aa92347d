import pino, { type Logger } from "pino";

/** The simulator logs nothing unless given a logger. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
