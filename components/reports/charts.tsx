"use client";
// The charts of /reports: one line chart and one bar chart, configured per report by the page.
// Same look and the same CSP-safe mounting as the dashboard's (components/dashboard/charts.tsx);
// hidden from screen readers because the table under each chart has the same numbers.
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { AXIS, Frame, TOOLTIP, useMounted } from "@/components/dashboard/charts";

export type Series = { key: string; name: string; color: string; dashed?: boolean };
type Datum = Record<string, string | number>;

export function ReportLineChart({
  data,
  x,
  series,
}: {
  data: Datum[];
  x: string;
  series: Series[];
}) {
  const mounted = useMounted();
  if (!mounted) return <Frame>{null}</Frame>;
  return (
    <Frame>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart
          data={data}
          margin={{ top: 8, right: 8, bottom: 0, left: -8 }}
          accessibilityLayer={false}
        >
          <CartesianGrid stroke="var(--line)" strokeDasharray="3 3" />
          <XAxis dataKey={x} {...AXIS} minTickGap={16} />
          <YAxis allowDecimals={false} {...AXIS} />
          <Tooltip {...TOOLTIP} />
          <Legend wrapperStyle={{ color: "var(--fg)" }} />
          {series.map((s) => (
            <Line
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.name}
              stroke={s.color}
              strokeWidth={2}
              strokeDasharray={s.dashed ? "6 3" : undefined}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </Frame>
  );
}

export function ReportBarChart({
  data,
  x,
  series,
  stacked = false,
  max,
}: {
  data: Datum[];
  x: string;
  series: Series[];
  stacked?: boolean;
  /** A fixed top of the value axis (100 for percentages). */
  max?: number;
}) {
  const mounted = useMounted();
  if (!mounted) return <Frame>{null}</Frame>;
  return (
    <Frame>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          data={data}
          margin={{ top: 8, right: 8, bottom: 0, left: -8 }}
          accessibilityLayer={false}
        >
          <CartesianGrid stroke="var(--line)" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey={x} {...AXIS} minTickGap={8} />
          <YAxis allowDecimals={false} domain={max ? [0, max] : undefined} {...AXIS} />
          <Tooltip {...TOOLTIP} />
          <Legend wrapperStyle={{ color: "var(--fg)" }} />
          {series.map((s) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.name}
              fill={s.color}
              stackId={stacked ? "stack" : undefined}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </Frame>
  );
}
