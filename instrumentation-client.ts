// Runs in the browser before the app hydrates (Next.js file convention).
//
// zod 4 probes whether it may compile validators with `new Function` the first time a form
// validates; under our CSP (no 'unsafe-eval', docs/decisions/009-csp.md) the probe is refused and
// reported as a violation, although zod then falls back to its interpreter. Say so up front:
// no probe, no violation report, same validation.
import { z } from "zod";

z.config({ jitless: true });
