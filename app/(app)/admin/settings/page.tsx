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

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const viewer = await requirePagePermission("settings:manage");
  const attachments = await getSettingForAdmin(viewer, ATTACHMENT_SETTINGS);
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
    </div>
  );
}
