// Browser and end-to-end tests need Debian's Chromium. Install it when we can (root, apt), otherwise
// stop with one line that says exactly what to run. Browsers are never downloaded by test tools.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && existsSync('/usr/bin/apt-get') && !process.env.CHROMIUM_PATH) {
  console.log('Chromium not found: installing Debian chromium with apt-get (once)...');
  try {
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
  } catch {
    // fall through to the message below
  }
  if (existsSync(path)) process.exit(0);
}
console.error(`Chromium is missing at ${path}: run \`sudo apt-get update && sudo apt-get install -y chromium\` (or set CHROMIUM_PATH to a Chromium binary), then npm test again.`);
process.exit(1);
