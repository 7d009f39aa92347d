import pino, { type DestinationStream, type Logger } from "pino";
import { redactRecord, redactText } from "./log-redaction";

/** How to build Rewind's logger. */
export interface LoggerOptions {
  /** pino level (fatal, error, warn, info, debug, trace, silent). */
  readonly level: string;
  /** Where lines go; stdout by default (tests capture them). */
  readonly destination?: DestinationStream;
}

/**
 * The one logger factory of every entry point (`npm run serve`, `npm start`, tests): JSON lines (pino) with
 * credentials masked at any depth of every entry, errors included (see log-redaction.ts), and in messages.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings: pino.LoggerOptions = {
    level: options.level,
    // The redaction below already turns errors into pino's usual shape; a second pass would relabel them.
    serializers: { err: (value: unknown) => value },
    formatters: { log: (record) => redactRecord(record) },
    hooks: {
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        // log.error(err): pino takes the message from the error itself, past the formatters.
        if (first instanceof Error && typeof rest[0] !== "string") {
          method.apply(this, [{ err: first }, redactText(first.message)] as never);
          return;
        }
        method.apply(this, [first, ...rest].map((a) => (typeof a === "string" ? redactText(a) : a)) as never);
      },
    },
  };
  const root = options.destination ? pino(settings, options.destination) : pino(settings);
  // Child bindings skip the formatters; children are created from their parent, so they inherit this too.
  const child = root.child;
  root.child = function <L extends string = never>(this: unknown, bindings: pino.Bindings, childOptions?: pino.ChildLoggerOptions<L>): pino.Logger<L> {
    return Reflect.apply(child, this, [redactRecord(bindings), childOptions]) as pino.Logger<L>;
  };
  return root;
}
