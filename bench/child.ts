import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";

/** A benchmark child process running a TypeScript file under tsx, answering once over IPC. */
export interface Child<T> {
  readonly process: ChildProcess;
  /** The first message the child sends. */
  readonly ready: Promise<T>;
  /** Stops the child by its pid and waits for it to exit. */
  stop(): Promise<void>;
}

/** Forks `file` (relative to bench/) with tsx; the child reports with `process.send`. */
export function forkTs<T>(file: string, args: string[] = [], execArgv: string[] = []): Child<T> {
  const child = fork(path.join(__dirname, file), args, {
    execArgv: [...execArgv, "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = new Promise<T>((resolve, reject) => {
    child.once("message", (m) => resolve(m as T));
    child.once("exit", (code) => reject(new Error(`${file} exited with code ${code} before reporting`)));
  });
  return {
    process: child,
    ready,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** The median of some numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
