// next/server's after() runs work once the response is sent; outside a Next request it throws.
// Tests that call such an action directly mock it with `afterMock` and wait for the work with
// settleAfter():
//   vi.mock("next/server", async (orig) => ({ ...(await orig<object>()), after: afterMock }));
const pending: Promise<unknown>[] = [];

export function afterMock(task: Promise<unknown> | (() => unknown)): void {
  pending.push(Promise.resolve().then(() => (typeof task === "function" ? task() : task)));
}

/** Resolves when every after() task so far has finished. */
export async function settleAfter(): Promise<void> {
  while (pending.length > 0) await Promise.all(pending.splice(0));
}
