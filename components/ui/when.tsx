import { timeText } from "@/lib/dates";
import { getDateContext } from "@/lib/dates-server";
import { Time } from "./time";

/**
 * A time in a server component: "2 hr. ago" (or the exact time) in the viewer's zone and locale,
 * the exact time on hover. Client components get a TimeText from the page and render <Time>.
 */
export async function When({
  date,
  mode = "relative",
  className,
}: {
  date: Date | string;
  mode?: "relative" | "exact";
  className?: string;
}) {
  return <Time value={timeText(date, await getDateContext(), mode)} className={className} />;
}
