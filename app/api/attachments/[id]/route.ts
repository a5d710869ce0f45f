import { serveAttachment } from "@/lib/attachments/download";

// A file: inline for re-encoded images, a download otherwise (?download=1 always downloads).
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return serveAttachment(request, id, "file");
}
