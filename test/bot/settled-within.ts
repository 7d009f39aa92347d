/** How `work` settled within `ms`: its error, its value, or "still pending" (a hang). */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<{ error: unknown } | { value: unknown } | "still pending"> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<"still pending">((r) => (timer = setTimeout(() => r("still pending"), ms)));
  try {
    return await Promise.race([work.then((value) => ({ value }), (error: unknown) => ({ error })), pending]);
  } finally {
    clearTimeout(timer);
  }
}
