/**
 * How the project runs Chromium in tests and benchmarks: Debian's package (installed by
 * `.ci/run`), headless, without the sandbox (containers have no user namespaces), and with nothing
 * phoning home (this machine has no network but the module proxies). QUIC is off so that every
 * request goes over the TCP connections the tests count and proxy.
 */
export interface ChromiumLaunchOptions {
  readonly executablePath: string;
  readonly headless: true;
  readonly args: string[];
}

/** The options for Playwright's `chromium.launch*()`; `CHROMIUM` overrides the binary. */
export function chromiumLaunchOptions(): ChromiumLaunchOptions {
  return {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  };
}
