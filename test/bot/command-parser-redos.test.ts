import { normalizeMessage, parseCommand } from "../../bot/commands/command-parser";

// A chat message is attacker-controlled text, parsed on the event loop that also answers every turn and
// renews every job's lease. Parsing must be linear: 60,000 `<` used to take seconds through `/<[^>]+>/g`.

/** Parses `text`, returning the result and how long it took. */
function timed(text: string): { result: ReturnType<typeof parseCommand>; ms: number } {
  const started = performance.now();
  const result = parseCommand(text);
  return { result, ms: performance.now() - started };
}

/** The markup stripping as it was written with regular expressions: the reference for what the scan must do. */
function regexNormalize(raw: string): string {
  return raw
    .replace(/<at>[^<]*<\/at>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;|\u00a0/gi, " ")
    .replace(/&amp;/g, "&")
    .trim();
}

// A generous bound: linear parsing takes about a millisecond here; the backtracking patterns took seconds.
const BOUND_MS = 300;

describe("command parsing against adversarial text (ReDoS)", () => {
  it("refuses a message over the raw length cap before removing its markup", () => {
    // 120,007 characters that would shrink to "backups": the cap applies to what arrived, not what is left.
    const padded = `${"<b>".repeat(40_000)}backups`;
    expect(normalizeMessage(padded)).toBe("backups");
    const { result, ms } = timed(padded);
    expect(result).toEqual({ ok: false, problem: { error: "The message is too long (120007 characters with its formatting; a command is at most 40000).", usage: expect.stringContaining("backups [page=<n>]") } });
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it("answers 60,000 unclosed '<' at once: too long", () => {
    const { result, ms } = timed("<".repeat(60_000));
    expect(result).toMatchObject({ ok: false, problem: { error: "The message is too long (60000 characters; a command is at most 40000)." } });
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it("answers '<a' repeated 30,000 times (every '<' unclosed) at once", () => {
    const { result, ms } = timed("<a".repeat(30_000));
    expect(result).toMatchObject({ ok: false, problem: { error: "The message is too long (60000 characters; a command is at most 40000)." } });
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it("answers an unclosed <at> mention followed by 60,000 characters at once", () => {
    const { result, ms } = timed(`<at>${"a".repeat(60_000)}`);
    // The tag goes; the unclosed mention's 60,000 characters stay, and are too long for a command.
    expect(result).toMatchObject({ ok: false, problem: { error: "The message is too long (60000 characters; a command is at most 40000)." } });
    expect(ms).toBeLessThan(BOUND_MS);
    const mentions = timed(`${"<at>".repeat(15_000)}x`);
    expect(mentions.result).toMatchObject({ ok: false, problem: { error: '"x" is not a Rewind command.' } });
    expect(mentions.ms).toBeLessThan(BOUND_MS);
  });

  it("answers 60,000 &nbsp; at once: over the raw cap; 16,000 around a command still parse", () => {
    const many = timed("&nbsp;".repeat(60_000));
    expect(many.result).toMatchObject({ ok: false, problem: { error: "The message is too long (360000 characters with its formatting; a command is at most 40000)." } });
    expect(many.ms).toBeLessThan(BOUND_MS);
    const around = timed(`${"&nbsp;".repeat(8_000)}backups${"&NBSP;".repeat(8_000)}`);
    expect(around.result).toEqual({ ok: true, command: { name: "backups", page: 1 } });
    expect(around.ms).toBeLessThan(BOUND_MS);
  });

  it("strips markup exactly as the regular expressions did, on 5,000 random short messages", () => {
    const parts = ["<", ">", "<at>", "</at>", "<AT>", "</At>", "a", " ", "&nbsp;", "&NBSP;", "&amp;", "\u00a0", "<b>", "x>", "<<", "/", "backups"];
    let seed = 42;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 5_000; n++) {
      let text = "";
      for (let k = Math.floor(next() * 12); k > 0; k--) text += parts[Math.floor(next() * parts.length)];
      expect({ text, out: normalizeMessage(text) }).toEqual({ text, out: regexNormalize(text) });
    }
  });
});
