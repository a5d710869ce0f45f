// The ticket table's row density, remembered per browser (a cookie, like the theme); a saved
// view or the URL's `density` wins over it. Client-safe.
import { LIST_DENSITIES, type ListDensity } from "@/lib/tickets/schemas";

export const DENSITY_COOKIE = "tessera-density";
export const DEFAULT_DENSITY: ListDensity = "compact";

export function parseDensity(value: string | null | undefined): ListDensity | null {
  return LIST_DENSITIES.find((d) => d === value) ?? null;
}
