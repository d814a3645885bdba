import Bowser from "bowser";

/** "Firefox on Android", from a User-Agent header; never more precise than browser and OS. */
export function describeDevice(userAgent: string): string {
  if (!userAgent) return "Unknown device";
  try {
    const parsed = Bowser.parse(userAgent);
    const browser = parsed.browser.name ?? "Unknown browser";
    const os = parsed.os.name;
    return os ? `${browser} · ${os}` : browser;
  } catch {
    return "Unknown device";
  }
}
