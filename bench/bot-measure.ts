import { isErrorCard, type TeamsClient } from "./bot-client";
import type { Probe } from "./bot-probes";
import { LatencySeries, ms1, type LatencyFigures } from "./bot-stats";

/** One probe sent once: its time (reply for a message, HTTP answer for a click), or why it answered wrongly. */
export interface ProbeSample {
  readonly ms: number;
  readonly bytes: number;
  readonly httpMs?: number;
  readonly problem?: string;
}

function checkCard(probe: Probe, status: number, card: unknown): string | undefined {
  if (status !== 200) return `HTTP ${status}`;
  if (card === null || card === undefined) return "no card in the answer";
  const error = isErrorCard(card);
  if (probe.expect === "card" && error) return `error card: ${JSON.stringify(card).slice(0, 400)}`;
  if (probe.expect === "error" && !error) return "a card where an error card was due";
  return undefined;
}

/** Sends a probe once and checks its answer. */
export async function sendProbe(client: TeamsClient, probe: Probe): Promise<ProbeSample> {
  try {
    if (probe.kind === "message") {
      const s = await client.say(probe.text);
      const problem = checkCard(probe, s.status, s.card);
      return { ms: s.replyMs, bytes: s.replyBytes, httpMs: s.httpMs, ...(problem ? { problem } : {}) };
    }
    const s = await client.click(probe.verb, probe.data);
    const problem = checkCard(probe, s.status, s.card);
    return { ms: s.ms, bytes: s.bytes, ...(problem ? { problem } : {}) };
  } catch (err) {
    return { ms: Number.NaN, bytes: 0, problem: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Sends every probe once per round, one at a time, `warmup` untimed rounds and then `iterations` timed ones.
 * Rounds rather than one probe's samples in a row, so what happens now and then (a role cache expiring every
 * 60 s, a GC, the job watcher's tick, a WAL checkpoint) falls on the probes alike.
 */
export async function measureProbes(client: TeamsClient, probes: readonly Probe[], rounds: { iterations: number; warmup: number; onTimedStart?: () => void }, label = "timed"): Promise<LatencyFigures[]> {
  const series = probes.map((p) => new LatencySeries(p.name, p.kind));
  for (let round = 0; round < rounds.warmup + rounds.iterations; round++) {
    const timed = round >= rounds.warmup;
    if (round === rounds.warmup) rounds.onTimedStart?.();
    for (let i = 0; i < probes.length; i++) {
      const s = await sendProbe(client, probes[i]!);
      if (!timed) {
        if (s.problem) throw new Error(`${probes[i]!.name} answered wrongly while warming up: ${s.problem}`);
        continue;
      }
      if (s.problem) series[i]!.fail(s.problem);
      else series[i]!.add(s.ms, s.bytes, s.httpMs);
    }
    if (timed && (round - rounds.warmup + 1) % 10 === 0) process.stdout.write(`  ${label} round ${round - rounds.warmup + 1}/${rounds.iterations}\n`);
  }
  return series.map((s) => s.figures());
}

/** A cold call: its app's start-up, then the first and second answers to the same probe. */
export interface ColdFigures {
  readonly name: string;
  readonly appStartMs: number;
  readonly firstMs: number;
  readonly secondMs: number;
  readonly problem?: string;
}

export function coldFigures(name: string, appStartMs: number, first: ProbeSample, second: ProbeSample): ColdFigures {
  const problem = first.problem ?? second.problem;
  return { name, appStartMs: ms1(appStartMs), firstMs: ms1(first.ms), secondMs: ms1(second.ms), ...(problem ? { problem } : {}) };
}
