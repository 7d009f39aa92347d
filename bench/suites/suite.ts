/** A named benchmark: `run` returns the figures that go into bench/results/<suite>.json. */
export interface Suite {
  readonly description: string;
  run(args: readonly string[]): Promise<Record<string, unknown>>;
}
