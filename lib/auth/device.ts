import "server-only";
import { logger } from "@/lib/logger";
import { issueDeviceCookie, recognisedDevice } from "@/lib/auth/device-cookie";

/**
 * The browser's device cookie during a sign-in (lib/auth/device-cookie.ts): `cookie` is what it
 * sent, `remember` stores a new value after a complete sign-in (lib/auth/index.ts sets it).
 */
export type DeviceOptions = {
  cookie?: string | null;
  remember?: (value: string) => void | Promise<void>;
};

/** After a complete sign-in: this browser is recognised for `email`'s account from now on. */
export async function rememberDevice(device: DeviceOptions, email: string): Promise<void> {
  if (!device.remember) return;
  const deviceId = recognisedDevice(device.cookie, email) ?? undefined;
  try {
    await device.remember(issueDeviceCookie(email, { deviceId }));
  } catch (err) {
    logger.error({ err }, "could not set the device cookie");
  }
}
