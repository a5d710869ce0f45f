// The small icons of attachments (20px grid, decorative: the text next to them says it).
const common = {
  viewBox: "0 0 20 20",
  fill: "none",
  stroke: "currentColor",
  strokeWidth: 1.6,
  strokeLinecap: "round",
  strokeLinejoin: "round",
  "aria-hidden": true,
} as const;

export function PaperclipIcon({ className = "size-4 shrink-0" }: { className?: string }) {
  return (
    <svg className={className} {...common}>
      <path d="m15.5 9.5-5.8 5.8a3.5 3.5 0 0 1-5-5l6.2-6.2a2.3 2.3 0 0 1 3.3 3.3l-6.1 6.1a1.2 1.2 0 0 1-1.6-1.6l5.6-5.6" />
    </svg>
  );
}

export function CameraIcon({ className = "size-4 shrink-0" }: { className?: string }) {
  return (
    <svg className={className} {...common}>
      <path d="M2.5 7a1.5 1.5 0 0 1 1.5-1.5h2l1.3-2h5.4l1.3 2h2A1.5 1.5 0 0 1 17.5 7v8a1.5 1.5 0 0 1-1.5 1.5H4A1.5 1.5 0 0 1 2.5 15Z" />
      <circle cx="10" cy="10.5" r="3" />
    </svg>
  );
}

export function FileIcon({ className = "size-4 shrink-0" }: { className?: string }) {
  return (
    <svg className={className} {...common}>
      <path d="M11.5 2.5H5.5a1.5 1.5 0 0 0-1.5 1.5v12a1.5 1.5 0 0 0 1.5 1.5h9a1.5 1.5 0 0 0 1.5-1.5V7Z" />
      <path d="M11.5 2.5V7H16" />
    </svg>
  );
}

export function CloseIcon({ className = "size-4 shrink-0" }: { className?: string }) {
  return (
    <svg className={className} {...common}>
      <path d="m5 5 10 10M15 5 5 15" />
    </svg>
  );
}

export function ChevronIcon({
  direction,
  className = "size-5 shrink-0",
}: {
  direction: "left" | "right";
  className?: string;
}) {
  return (
    <svg className={className} {...common}>
      <path d={direction === "left" ? "m12.5 4.5-5.5 5.5 5.5 5.5" : "m7.5 4.5 5.5 5.5-5.5 5.5"} />
    </svg>
  );
}
