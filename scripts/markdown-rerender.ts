// `npm run markdown:rerender`: renders the descriptions and comments whose stored HTML is missing
// (rows from before the rendered_markdown migration) or from an older MARKDOWN_RENDERER_VERSION,
// in batches, and stores the result (issue 10 §1, ADR 015). Safe to run while the app serves:
// pages render such rows on read anyway; this only saves them the work. Idempotent.
// Needs DATABASE_URL.
import { MARKDOWN_RENDERER_VERSION, renderedColumns } from "../lib/markdown/render";
import { createPrismaClient } from "../prisma/client";

const BATCH = 200;

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set.");
  const db = createPrismaClient(url);
  const stale = {
    OR: [
      { descriptionHtmlVersion: null },
      { descriptionHtmlVersion: { not: MARKDOWN_RENDERER_VERSION } },
    ],
  };
  let tickets = 0;
  let comments = 0;
  try {
    for (;;) {
      const rows = await db.ticket.findMany({
        where: stale,
        select: { id: true, description: true },
        take: BATCH,
      });
      if (rows.length === 0) break;
      for (const row of rows) {
        const { html, version } = renderedColumns(row.description);
        // Raw SQL: Prisma's @updatedAt would move "Last update" for a rendering change.
        await db.$executeRaw`UPDATE "Ticket" SET "descriptionHtml" = ${html}, "descriptionHtmlVersion" = ${version} WHERE "id" = ${row.id}`;
      }
      tickets += rows.length;
    }
    for (;;) {
      const rows = await db.ticketComment.findMany({
        where: {
          OR: [{ bodyHtmlVersion: null }, { bodyHtmlVersion: { not: MARKDOWN_RENDERER_VERSION } }],
        },
        select: { id: true, body: true },
        take: BATCH,
      });
      if (rows.length === 0) break;
      for (const row of rows) {
        const { html, version } = renderedColumns(row.body);
        // Allowed by the immutability trigger: only the rendering columns change.
        await db.ticketComment.update({
          where: { id: row.id },
          data: { bodyHtml: html, bodyHtmlVersion: version },
        });
      }
      comments += rows.length;
    }
    console.log(
      `Rendered ${tickets} ticket description(s) and ${comments} comment(s) (renderer version ${MARKDOWN_RENDERER_VERSION}).`,
    );
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
