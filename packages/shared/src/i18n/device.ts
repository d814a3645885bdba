/**
 * A device is described as "Firefox · Android" (browser · system, product names kept as they are);
 * the API writes the generic words below in English, and readers see them in their language.
 */
import type { MessageKey } from "./translate.ts";

export const UNKNOWN_DEVICE = "Unknown device";
export const UNKNOWN_BROWSER = "Unknown browser";
export const DEVICE_SEPARATOR = " · ";

const GENERIC: Record<string, MessageKey> = { [UNKNOWN_DEVICE]: "account.unknownDevice", [UNKNOWN_BROWSER]: "account.unknownBrowser" };

/** "Unknown browser · Linux" → "កម្មវិធីរុករកមិនស្គាល់ · Linux"; an empty description is an unknown device. */
export function localiseDevice(device: string, t: (key: MessageKey) => string): string {
  if (!device) return t("account.unknownDevice");
  return device
    .split(DEVICE_SEPARATOR)
    .map((part) => {
      const key = GENERIC[part];
      return key ? t(key) : part;
    })
    .join(DEVICE_SEPARATOR);
}
