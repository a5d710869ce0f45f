// Part 2 of `npm run bench -- --markdown`: the server time of a ticket page whose 50 comments
// are the worst cases of the adversarial corpus. The comments are rendered as the reply service
// renders them (renderedColumns) and stored; then each timed run does what the page does for
// the conversation: the queries of getTicket (lib/tickets/queries.ts: the ticket with its
// comment count, the comment window) and React's server rendering of the description and the
// 50 comment cards with <Markdown html> (components/tickets/markdown.tsx). getTicket itself is
// not imported: it is "server-only" (Next's bundler resolves that, tsx cannot); the queries here
// are the same selects. For comparison, the old page: the same 50 sources through the old
// <Markdown source> pipeline, timed per comment in a worker (scripts/bench/markdown.ts).
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { Markdown } from "../../components/tickets/markdown";
import { renderedColumns, storedHtml } from "../../lib/markdown/render";
import { namedCases } from "../../tests/security/markdown-corpus";
import { createPrismaClient } from "../../prisma/client";
import { makeCategory, makeUser } from "../../prisma/factories";
import { recreateDatabase } from "./db";
import { applyMigrations } from "../db/migrate";
import { summarize } from "./stats";

const DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/tessera_bench_markdown";

/** The 50 comments: the issue's three first, then the slowest named cases for the old pipeline. */
export function worstComments(): string[] {
  const cases = namedCases();
  const issue = cases.filter((c) => c.name.startsWith("issue:"));
  const rest = cases.filter((c) => !c.name.startsWith("issue:"));
  return Array.from({ length: 50 }, (_, i) =>
    i < issue.length ? issue[i]!.source : rest[(i - issue.length) % rest.length]!.source,
  );
}

export async function measurePage(options: {
  runs: number;
  log: (line: string) => void;
  url?: string;
}) {
  const { runs, log } = options;
  const url = process.env.BENCH_MARKDOWN_DATABASE_URL || DEFAULT_URL;
  await recreateDatabase(url, log);
  await applyMigrations(url, { log: () => {} });
  const db = createPrismaClient(url);
  try {
    const user = await makeUser(db, { role: "USER" });
    const category = await makeCategory(db);
    const sources = worstComments();
    const writeStarted = performance.now();
    const description = renderedColumns(sources[0]!);
    const ticket = await db.ticket.create({
      data: {
        title: "50 worst-case comments",
        description: sources[0]!,
        descriptionHtml: description.html,
        descriptionHtmlVersion: description.version,
        categoryId: category.id,
        requesterId: user.id,
      },
    });
    const renderTimes: number[] = [];
    const base = Date.now();
    for (const [i, source] of sources.entries()) {
      const t = performance.now();
      const rendered = renderedColumns(source);
      renderTimes.push(performance.now() - t);
      await db.ticketComment.create({
        data: {
          ticketId: ticket.id,
          authorId: user.id,
          body: source,
          bodyHtml: rendered.html,
          bodyHtmlVersion: rendered.version,
          createdAt: new Date(base + i * 1000),
        },
      });
    }
    log(
      `page: wrote 50 worst-case comments in ${(performance.now() - writeStarted).toFixed(0)} ms ` +
        `(write-time rendering p50 ${summarize(renderTimes).p50} ms, max ${summarize(renderTimes).max} ms)`,
    );

    const view = async () => {
      const t0 = performance.now();
      const row = await db.ticket.findFirstOrThrow({
        where: { number: ticket.number, deletedAt: null },
        select: {
          id: true,
          number: true,
          title: true,
          status: true,
          description: true,
          descriptionHtml: true,
          descriptionHtmlVersion: true,
          requester: { select: { id: true, name: true, email: true } },
          _count: { select: { comments: true } },
        },
      });
      const comments = await db.ticketComment.findMany({
        where: { ticketId: row.id },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        skip: 0,
        take: 50,
        select: {
          id: true,
          body: true,
          bodyHtml: true,
          bodyHtmlVersion: true,
          internal: true,
          createdAt: true,
          author: { select: { id: true, name: true, role: true } },
        },
      });
      const t1 = performance.now();
      const html = renderToStaticMarkup(
        createElement(
          "div",
          null,
          createElement(Markdown, {
            html: storedHtml(row.description, row.descriptionHtml, row.descriptionHtmlVersion),
          }),
          ...comments.map((c) =>
            createElement(
              "article",
              { key: c.id },
              createElement("header", null, c.author.name, " ", c.createdAt.toISOString()),
              createElement(Markdown, { html: storedHtml(c.body, c.bodyHtml, c.bodyHtmlVersion) }),
            ),
          ),
        ),
      );
      const t2 = performance.now();
      return { total: t2 - t0, query: t1 - t0, render: t2 - t1, bytes: html.length };
    };
    for (let i = 0; i < 5; i++) await view();
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await view());
    const result = {
      comments: 50,
      htmlBytes: samples[0]!.bytes,
      total: summarize(samples.map((s) => s.total)),
      queries: summarize(samples.map((s) => s.query)),
      reactRender: summarize(samples.map((s) => s.render)),
      writeTimeRenderPerComment: summarize(renderTimes),
      target: "p99 total <= 150 ms",
    };
    log(
      `page (50 worst-case comments, ${result.htmlBytes} bytes of HTML): total p50 ${result.total.p50} ms, ` +
        `p99 ${result.total.p99} ms (queries p50 ${result.queries.p50}, React p50 ${result.reactRender.p50})`,
    );
    return result;
  } finally {
    await db.$disconnect();
  }
}
