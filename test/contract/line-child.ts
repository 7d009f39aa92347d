import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * A child process spoken to in lines: what it prints is a queue to read in order, what the test sends goes to
 * its stdin. The cross-process race tests drive their store processes this way.
 */
export class LineChild {
  private readonly lines: string[] = [];
  private readonly waiting: Array<{ resolve: (line: string) => void; reject: (err: Error) => void }> = [];
  private stderr = "";
  private exited: Error | null = null;

  constructor(
    readonly proc: ChildProcessWithoutNullStreams,
    what = "child",
  ) {
    createInterface({ input: proc.stdout }).on("line", (line) => {
      const next = this.waiting.shift();
      if (next) next.resolve(line);
      else this.lines.push(line);
    });
    proc.stderr.on("data", (d: Buffer) => (this.stderr += d.toString()));
    proc.on("exit", (code) => {
      this.exited = new Error(`${what} exited (${code}): ${this.stderr}`);
      for (const w of this.waiting.splice(0)) w.reject(this.exited);
    });
  }

  /** The next line the child prints; fails when it exits first. */
  next(): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  send(line: string): void {
    this.proc.stdin.write(`${line}\n`);
  }
}
