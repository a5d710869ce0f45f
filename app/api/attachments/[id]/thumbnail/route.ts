import { attachmentGet } from "../handler";

// The WebP thumbnail of an image, shown in the conversation (not audited per view; the file is).
export const dynamic = "force-dynamic";

export const GET = attachmentGet("thumbnail");
