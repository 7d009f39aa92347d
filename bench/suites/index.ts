import { bot } from "./bot";
import { chaos } from "./chaos";
import { cosmos } from "./cosmos";
import { engine } from "./engine";
import { graphRead } from "./graph-read";
import type { Suite } from "./suite";

/** Every benchmark, by the name `npm run bench -- <name>` takes. */
export const SUITES: Readonly<Record<string, Suite>> = {
  "graph-read": graphRead,
  engine,
  bot,
  cosmos,
  chaos,
};
