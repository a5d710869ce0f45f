// Worker of `npm run bench -- --markdown`: renders one case with one candidate and reports the
// wall time or the error, so that the parent can give up on a case (terminate) after a timeout.
import { parentPort, workerData } from "node:worker_threads";
import { ordinaryMarkdown } from "../../tests/security/markdown-corpus";
import { CANDIDATES } from "./markdown-candidates";

const { candidate, source, runs } = workerData as {
  candidate: string;
  source: string;
  runs: number;
};
const c = CANDIDATES.find((x) => x.name === candidate)!;
// Warm up on a small ordinary text first (JIT, lazy init), as a long-running server would be.
c.render(ordinaryMarkdown().slice(0, 2_000));
parentPort!.postMessage({ ready: true }); // the parent's timeout starts now
const times: number[] = [];
let error: string | undefined;
for (let i = 0; i < runs && !error; i++) {
  const started = performance.now();
  try {
    c.render(source);
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 120) : String(e);
  }
  times.push(performance.now() - started);
}
parentPort!.postMessage({ times, error });
