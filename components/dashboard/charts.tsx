"use client";
// Recharts draws SVG on the client. The production CSP has no 'unsafe-inline' for styles, so
// server-rendered style="" attributes (which recharts puts on its wrappers) would be blocked;
// rendering only after mount makes React set them through the CSSOM, which CSP allows. Colours
// come from the theme's CSS variables, so both themes stay readable.
import { useSyncExternalStore } from "react";
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

const subscribe = () => () => {};
export const useMounted = () =>
  useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );

export const AXIS = { stroke: "var(--fg-muted)", tick: { fill: "var(--fg-muted)", fontSize: 12 } };
export const TOOLTIP = {
  contentStyle: {
    background: "var(--surface)",
    borderColor: "var(--line-strong)",
    color: "var(--fg)",
  },
  labelStyle: { color: "var(--fg)" },
  cursor: { fill: "var(--surface-muted)", stroke: "var(--line-strong)" },
};

export function Frame({
  children,
  className = "h-64",
}: {
  children: React.ReactNode;
  className?: string;
}) {
  // aria-hidden: the same numbers are in the "Show data" table next to the chart. Recharts'
  // keyboard layer is off (accessibilityLayer={false}): a focusable chart inside aria-hidden
  // would be a stop that screen readers cannot announce (axe: aria-hidden-focus).
  return (
    <div className={`w-full text-fg ${className}`} aria-hidden="true">
      {children}
    </div>
  );
}

export type TrendPoint = { day: string; created: number; resolved: number };

export function TrendChart({ data }: { data: TrendPoint[] }) {
  const mounted = useMounted();
  if (!mounted) return <Frame>{null}</Frame>;
  return (
    <Frame>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart
          data={data}
          margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
          accessibilityLayer={false}
        >
          <CartesianGrid stroke="var(--line)" strokeDasharray="3 3" />
          <XAxis
            dataKey="day"
            {...AXIS}
            tickFormatter={(d: string) => d.slice(5)}
            minTickGap={16}
          />
          <YAxis allowDecimals={false} {...AXIS} />
          <Tooltip {...TOOLTIP} />
          <Legend wrapperStyle={{ color: "var(--fg)" }} />
          <Line
            type="monotone"
            dataKey="created"
            name="Created"
            stroke="var(--primary)"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
          <Line
            type="monotone"
            dataKey="resolved"
            name="Resolved"
            stroke="var(--success-text)"
            strokeWidth={2}
            strokeDasharray="6 3"
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </Frame>
  );
}

export type AssigneePoint = { name: string; open: number };

export function AssigneeChart({ data }: { data: AssigneePoint[] }) {
  const mounted = useMounted();
  if (!mounted) return <Frame>{null}</Frame>;
  // One row per person: the height follows the number of bars (set by React after mount).
  return (
    <Frame className="">
      <ResponsiveContainer width="100%" height={Math.max(120, data.length * 36 + 48)}>
        <BarChart
          data={data}
          layout="vertical"
          margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
          accessibilityLayer={false}
        >
          <CartesianGrid stroke="var(--line)" strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} {...AXIS} />
          <YAxis type="category" dataKey="name" width={110} {...AXIS} />
          <Tooltip {...TOOLTIP} />
          <Bar
            dataKey="open"
            name="Open tickets"
            fill="var(--primary)"
            maxBarSize={24}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </Frame>
  );
}
