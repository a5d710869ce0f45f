import { handlers } from "@/lib/auth";
import { withThrottleStatus } from "@/lib/rate-limit/http";

export const { GET } = handlers;
// A throttled credentials sign-in answers 429 + Retry-After instead of Auth.js's redirect.
export const POST = withThrottleStatus(handlers.POST);
