/** Headless Chromium from Debian, for the page's end-to-end tests and the benchmark. */
import { chromium, type Browser } from "playwright-core";

/** Starts headless Chromium with no background network of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
