"use client";
// The same error page as app/(app)/error.tsx (see app/(ticket)/layout.tsx for why this group).
export { default } from "../(app)/error";
