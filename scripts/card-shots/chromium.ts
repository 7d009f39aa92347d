import { existsSync } from "node:fs";

/** Debian's Chromium, which the card screenshots and the browser tests drive (`.ci/run` installs it when missing). */
export const CHROMIUM = "/usr/bin/chromium";

/** Headless and quiet: no GPU, no QUIC, none of Chromium's own background traffic. */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Throws, naming how to install it, when Chromium is missing: the browser tests fail then, never skip. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Debian's Chromium is missing (${CHROMIUM}); the browser tests and npm run cards:shots need it. Install it with: sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium fonts-liberation (.ci/run does it when it is missing).`,
    );
  }
}
