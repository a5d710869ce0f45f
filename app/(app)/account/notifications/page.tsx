import type { Metadata } from "next";
import { NotificationSettingsForm } from "@/components/forms/notification-settings-form";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { notificationSettings } from "@/lib/email/preferences";

export const metadata: Metadata = { title: "Email notifications" };

export default async function NotificationSettingsPage() {
  const user = await requirePagePermission("account:manage");
  const settings = await notificationSettings(user);
  return (
    <div className="max-w-lg space-y-6">
      <PageHeader
        title="Email notifications"
        description={`Which emails the help desk sends to ${user.email}.`}
      />
      {settings.bouncingAt && (
        <p
          role="status"
          className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800"
        >
          Mail to {user.email} came back undelivered on{" "}
          {settings.bouncingAt.toISOString().slice(0, 10)}, so notifications are paused. If the
          address works again, save these settings to turn them back on.
        </p>
      )}
      <Card>
        <CardContent>
          <NotificationSettingsForm kinds={settings.kinds} categories={settings.categories} />
        </CardContent>
      </Card>
    </div>
  );
}
