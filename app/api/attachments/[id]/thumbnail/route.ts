import { serveAttachment } from "@/lib/attachments/download";

// The WebP thumbnail of an image, shown in the conversation.
export const dynamic = "force-dynamic";

export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
) {
  const { id } = await params;
  return serveAttachment(request, id, "thumbnail");
}
