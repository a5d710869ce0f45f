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
      <Card>
        <CardContent>
          <NotificationSettingsForm kinds={settings.kinds} categories={settings.categories} />
        </CardContent>
      </Card>
    </div>
  );
}
