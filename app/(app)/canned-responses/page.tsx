import type { Metadata } from "next";
import { CannedCreateForm } from "@/components/forms/canned-response-form";
import { CannedResponseItem, type CannedItemData } from "@/components/forms/canned-response-item";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { can } from "@/lib/auth/permissions";
import { PLACEHOLDERS } from "@/lib/canned/placeholders";
import { listCannedResponses } from "@/lib/canned/queries";

export const metadata: Metadata = { title: "Canned responses" };

// Staff only ("canned:use"): one's own snippets (create, edit, delete) and the shared ones
// (admins change them, technicians read them). A working tool next to the tickets, so in the main
// navigation; not under /admin (technicians use it) nor /account (it is not account security).
export default async function CannedResponsesPage() {
  const user = await requirePagePermission("canned:use");
  const items = await listCannedResponses(user);
  const manager = can(user, "canned:manage");
  const own = items.filter((c) => !c.shared);
  const shared = items.filter((c) => c.shared);
  return (
    <div className="max-w-3xl space-y-6">
      <PageHeader
        title="Canned responses"
        description="Ready-made replies. In a ticket's reply box, press “Insert response” or type / at the start of a line."
      />
      <Card>
        <CardHeader>
          <CardTitle>Placeholders</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
            {Object.entries(PLACEHOLDERS).map(([key, meaning]) => (
              <div key={key} className="contents">
                <dt>
                  <code>{`{{${key}}}`}</code>
                </dt>
                <dd className="text-fg-muted">{meaning}</dd>
              </div>
            ))}
          </dl>
        </CardContent>
      </Card>
      <Section
        title="Your responses"
        id="own"
        items={own}
        empty="You have no personal responses yet."
      >
        <CannedCreateForm shared={false} />
      </Section>
      <Section
        title="Shared responses"
        id="shared"
        items={shared}
        empty="No shared responses yet."
        note={manager ? null : "Admins manage these; you can use them in any reply."}
      >
        {manager && <CannedCreateForm shared />}
      </Section>
    </div>
  );
}

function Section({
  title,
  id,
  items,
  empty,
  note,
  children,
}: {
  title: string;
  id: string;
  items: CannedItemData[];
  empty: string;
  note?: string | null;
  children: React.ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-heading`} className="space-y-3">
      <h2 id={`${id}-heading`} className="text-base font-semibold">
        {title}
      </h2>
      {note && <p className="text-sm text-fg-muted">{note}</p>}
      {items.length === 0 ? (
        <EmptyState title={empty} />
      ) : (
        <ul
          className="divide-y divide-line rounded-lg border border-line bg-surface"
          data-testid={`canned-${id}`}
        >
          {items.map((c) => (
            <CannedResponseItem key={c.id} canned={c} />
          ))}
        </ul>
      )}
      {children && (
        <Card>
          <CardContent>{children}</CardContent>
        </Card>
      )}
    </section>
  );
}
