import type { Metadata } from "next";
import { formatUtc } from "@/components/admin/format";
import { AttachmentSettingsForm } from "@/components/forms/attachment-settings-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { attachmentSizeLimits } from "@/lib/attachments/limits";
import { formatBytes } from "@/lib/attachments/schemas";
import { ATTACHMENT_SETTINGS } from "@/lib/attachments/settings";
import { requirePagePermission } from "@/lib/auth/guards";
import { getSettingForAdmin } from "@/lib/settings/queries";
import { InboundMailboxForm } from "@/components/forms/inbound-mailbox-form";
import { db } from "@/lib/db";
import { inboundMailboxSetting } from "@/lib/email/inbound/settings";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const viewer = await requirePagePermission("settings:manage");
  const attachments = await getSettingForAdmin(viewer, ATTACHMENT_SETTINGS);
  const inbound = await getSettingForAdmin(viewer, inboundMailboxSetting);
  const categories = await db.category.findMany({
    where: { archived: false },
    orderBy: [{ position: "asc" }, { name: "asc" }],
    select: { id: true, name: true },
  });
  const { secretEncrypted, categoryId, ...mailbox } = inbound.value;
  const { maxFileBytes, maxFiles } = attachmentSizeLimits();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Settings"
        description="How this installation behaves for everyone. Every change is recorded in the audit log."
      />
      <Card>
        <CardHeader>
          <CardTitle>Attachments</CardTitle>
          <CardDescription>
            The kind of a file is decided from its bytes, not its name. A file of a kind not checked
            here is refused when it is uploaded; files already attached stay. Up to {maxFiles} files
            per message, {formatBytes(maxFileBytes)} each (set by the server environment).
          </CardDescription>
          <p className="text-xs text-fg-muted" data-testid="setting-source">
            {attachments.saved && attachments.updatedAt
              ? `Last saved ${formatUtc(attachments.updatedAt)}${attachments.updatedBy ? ` by ${attachments.updatedBy}` : ""}.`
              : "Not saved yet: the server's default (TESSERA_ATTACHMENT_TYPES) applies."}
          </p>
        </CardHeader>
        <CardContent>
          <AttachmentSettingsForm kinds={attachments.value.kinds} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Incoming email</CardTitle>
          <CardDescription>
            The help desk mailbox (IMAP) Tessera reads: a new message opens a ticket for its sender,
            a reply is added to its ticket (threaded by our own signed Message-IDs first), automatic
            replies, bounces and our own mail never make a ticket or a reply. What came of each
            message is on the Email page, under Received.
          </CardDescription>
          <p className="text-xs text-fg-muted">
            {inbound.saved && inbound.updatedAt
              ? `Last saved ${formatUtc(inbound.updatedAt)}${inbound.updatedBy ? ` by ${inbound.updatedBy}` : ""}.`
              : "Not saved yet: off."}
          </p>
        </CardHeader>
        <CardContent>
          <InboundMailboxForm
            values={{ ...mailbox, categoryId: categoryId ?? "" }}
            secretSaved={secretEncrypted !== null}
            categories={categories}
          />
        </CardContent>
      </Card>
    </div>
  );
}
