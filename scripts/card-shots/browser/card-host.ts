/**
 * The page side of the card screenshots and browser tests, bundled for the browser with esbuild: renders an
 * Adaptive Card (already expanded in Node: the templating library's browser build is broken) with the
 * `adaptivecards` renderer, as a Teams chat column would, and records every Action.Execute click.
 */
import * as AC from "adaptivecards";

// adaptivecards declares `sideEffects: false`, so a bundler drops table.js, whose import registers "Table"
// (Adaptive Cards 1.5). Register it here, as the SDK's own module would.
AC.GlobalRegistry.defaultElements.register("Table", AC.Table, AC.Versions.v1_5);

/** What a click sent: the verb and data the bot would receive in its invoke. */
interface ExecutedAction {
  verb: string;
  data: unknown;
}

declare global {
  interface Window {
    /** Renders `json` into #card; returns the renderer's parse and validation messages (none is expected). */
    renderCard(json: unknown): { problems: string[] };
    /** Every Action.Execute clicked since the last render. */
    executedActions: ExecutedAction[];
  }
}

/** Teams-like host settings: Segoe UI where present (Liberation Sans on Linux), light theme, tight spacing. */
const HOST_CONFIG = new AC.HostConfig({
  fontFamily: "'Segoe UI', 'Liberation Sans', Arial, sans-serif",
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: "#E0E0E0" },
  supportsInteractivity: true,
  fontSizes: { small: 12, default: 14, medium: 16, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  containerStyles: {
    default: { backgroundColor: "#FFFFFF", foregroundColors: { default: { default: "#242424", subtle: "#616161" }, accent: { default: "#5B5FC7", subtle: "#5B5FC7" }, good: { default: "#0E700E", subtle: "#0E700E" }, warning: { default: "#835C00", subtle: "#835C00" }, attention: { default: "#C4314B", subtle: "#C4314B" } } },
    emphasis: { backgroundColor: "#F5F5F5", foregroundColors: { default: { default: "#242424", subtle: "#616161" } } },
    good: { backgroundColor: "#E7F2DA", foregroundColors: { default: { default: "#242424", subtle: "#616161" } } },
    attention: { backgroundColor: "#FCF4F6", foregroundColors: { default: { default: "#242424", subtle: "#616161" } } },
    warning: { backgroundColor: "#FBF6D9", foregroundColors: { default: { default: "#242424", subtle: "#616161" } } },
    accent: { backgroundColor: "#E8EBFA", foregroundColors: { default: { default: "#242424", subtle: "#616161" } } },
  },
  actions: { maxActions: 6, spacing: "default", buttonSpacing: 8, showCard: { actionMode: "inline" }, actionsOrientation: "horizontal", actionAlignment: "left" },
});

window.executedActions = [];
window.renderCard = (json: unknown): { problems: string[] } => {
  window.executedActions = [];
  const card = new AC.AdaptiveCard();
  card.hostConfig = HOST_CONFIG;
  card.onExecuteAction = (action: AC.Action) => {
    if (action instanceof AC.ExecuteAction) window.executedActions.push({ verb: action.verb ?? "", data: action.data });
  };
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of card.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  const element = card.render();
  const target = document.getElementById("card");
  if (target === null) throw new Error("The page has no #card element.");
  target.replaceChildren(...(element ? [element] : []));
  return { problems };
};
