// A strict reader of Prometheus's text exposition format (version 0.0.4), for tests: throws on
// any line a Prometheus server would refuse (a sample without a TYPE, a malformed label, a value
// that is not a number, a family declared twice), and returns the samples.

export type Sample = { name: string; labels: Record<string, string>; value: number };

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL = `([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`;
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL},?)*)\\})? (\\S+)(?: -?\\d+)?$`);
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);
const SUFFIXES = ["_bucket", "_sum", "_count", "_total", "_created"];

function family(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const suffix = SUFFIXES.find((s) => name.endsWith(s));
  const base = suffix ? name.slice(0, -suffix.length) : undefined;
  return base !== undefined && types.has(base) ? base : undefined;
}

export function parseExposition(text: string): Sample[] {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  text.split("\n").forEach((line, index) => {
    const fail = (why: string) => {
      throw new Error(`line ${index + 1}: ${why}: ${line}`);
    };
    if (line === "") return;
    if (line.startsWith("#")) {
      const meta = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`).exec(line);
      if (!meta) return; // a plain comment
      if (meta[1] === "TYPE") {
        if (!TYPES.has(meta[3]!)) fail("unknown type");
        if (types.has(meta[2]!)) fail("family declared twice");
        types.set(meta[2]!, meta[3]!);
      }
      return;
    }
    const match = SAMPLE.exec(line);
    if (!match) return fail("not a sample");
    const [, name, labelText, , , raw] = match;
    if (!family(name!, types)) fail("sample without a TYPE");
    // As Prometheus reads it (Go's ParseFloat): NaN and Inf in any case (prom-client writes "Nan").
    const value = /^nan$/i.test(raw!)
      ? NaN
      : /^[+-]?inf$/i.test(raw!)
        ? (raw!.startsWith("-") ? -1 : 1) * Infinity
        : Number(raw);
    if (Number.isNaN(value) && !/^nan$/i.test(raw!)) fail("value is not a number");
    const labels: Record<string, string> = {};
    for (const [, key, val] of (labelText ?? "").matchAll(new RegExp(LABEL, "g"))) {
      if (key! in labels) fail("label repeated");
      labels[key!] = val!.replace(/\\n/g, "\n").replace(/\\(["\\])/g, "$1");
    }
    samples.push({ name: name!, labels, value });
  });
  return samples;
}

/** The value of the one sample with this name and (at least) these labels; undefined if none. */
export function sampleValue(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const hits = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (hits.length > 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${hits.length} samples`);
  return hits[0]?.value;
}
