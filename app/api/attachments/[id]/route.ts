import { attachmentGet } from "./handler";

// A file: inline for re-encoded images, a download otherwise (?download=1 always downloads).
export const dynamic = "force-dynamic";

export const GET = attachmentGet("file");
