"use client";
import "altcha/altcha.css";
import { useEffect, useRef, useState } from "react";
import type {} from "altcha/types/react";

// The self-hosted proof-of-work CAPTCHA (ALTCHA's <altcha-widget>). No image or audio puzzle:
// the browser does ~1-3 s of hashing in a Web Worker and the checkbox ticks itself. Loaded from
// altcha/external (no injected <style>, no blob: workers) so it works under a nonce-based CSP.

type Props = {
  /** The signed challenge from captchaChallengeAction(), as JSON. */
  challenge: string;
  /** The base64 payload once solved, or null while unsolved / expired. */
  onChange: (payload: string | null) => void;
};

let registered: Promise<void> | undefined;

function registerWidget(): Promise<void> {
  registered ??= import("altcha/external").then(() => {
    // ALTCHA's prebuilt, self-contained PBKDF2 solver, emitted by Next as a same-origin static
    // file (/_next/static/media/...js): the CSP needs `worker-src 'self'`, no blob: URLs.
    const workerUrl = new URL("../../node_modules/altcha/dist/workers/pbkdf2.js", import.meta.url);
    const createWorker = () => new Worker(workerUrl);
    globalThis.$altcha.algorithms.set("PBKDF2/SHA-256", createWorker);
  });
  return registered;
}

export function CaptchaWidget({ challenge, onChange }: Props) {
  const ref = useRef<HTMLElement>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let cancelled = false;
    void registerWidget().then(() => !cancelled && setReady(true));
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    const element = ref.current;
    if (!ready || !element) return;
    const onState = (event: Event) => {
      const detail = (event as CustomEvent<{ state: string; payload?: string }>).detail;
      onChange(detail.state === "verified" && detail.payload ? detail.payload : null);
    };
    element.addEventListener("statechange", onState);
    return () => element.removeEventListener("statechange", onState);
  }, [ready, onChange, challenge]);

  return (
    <div
      role="group"
      aria-labelledby="captcha-heading"
      aria-describedby="captcha-help"
      className="space-y-2 rounded-md border border-line p-3"
      data-testid="captcha"
    >
      <p id="captcha-heading" className="text-sm font-medium">
        Verification
      </p>
      <p id="captcha-help" className="text-sm text-fg-muted">
        After several failed attempts we ask your browser to solve a small puzzle. It runs by itself
        and takes a few seconds; there is nothing to read or click.
      </p>
      {ready ? (
        // A new challenge remounts the element.
        <div key={challenge}>
          <altcha-widget
            ref={ref}
            challenge={challenge}
            auto="onload"
            name="altcha"
            configuration={JSON.stringify({ hideLogo: true, hideFooter: true })}
          />
        </div>
      ) : (
        <p className="text-sm" role="status">
          Loading verification…
        </p>
      )}
    </div>
  );
}
