import { handlers } from "@/lib/auth";
import { refuseSessionUpdate, withSessionRecheck } from "@/lib/auth/endpoints";
import { withThrottleStatus } from "@/lib/rate-limit/http";

// /api/auth/session answers only for a session the guards accept (lib/auth/endpoints.ts).
export const GET = withSessionRecheck(handlers.GET);
// A throttled credentials sign-in answers 429 + Retry-After instead of Auth.js's redirect.
// No HTTP session update: the app re-issues tokens only from its own server actions.
export const POST = refuseSessionUpdate(withThrottleStatus(handlers.POST));
