import type { Metadata } from "next";
import { BackLink } from "@/components/admin/back-link";
import { CalendarForm } from "@/components/sla/calendar-form";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "New calendar" };

export default async function NewCalendarPage() {
  await requirePagePermission("sla:manage");
  const weekdays = [1, 2, 3, 4, 5].flatMap((day) => [{ day, start: 540, end: 1020 }]);
  return (
    <div className="max-w-3xl space-y-6">
      <BackLink href="/admin/service-levels">Service levels</BackLink>
      <PageHeader title="New calendar" description="Holidays are added once it exists." />
      <Card>
        <CardContent>
          <CalendarForm
            calendar={{ id: null, name: "", timeZone: "UTC", alwaysOpen: false, windows: weekdays }}
            timeZones={Intl.supportedValuesOf("timeZone")}
          />
        </CardContent>
      </Card>
    </div>
  );
}
