/**
 * Manages officer accounts: `npm run officer -- add <username> "<name>" [--role officer|supervisor|admin]
 * [--sites kanreg1,kanreg2]`, `set <username> [--role …] [--sites …|--all-sites] [--name "…"]`,
 * `passwd <username>`, `remove <username>`, `list`. Only a scrypt hash of each password is written (mode
 * 0600). A running server notices the change at once: a new password or a removal ends that officer's
 * sessions; a new role, sites or name apply to their next request.
 *
 * An account without `--sites` works every configured site. When OSG_SITES or OSG_SITES_FILE is set (as for
 * the server), site ids are checked against it here; the server checks them again when it reads the file.
 *
 * The password comes from OSG_OFFICER_PASSWORD, or is typed at a terminal without being shown (twice),
 * or is the first line of piped standard input (for scripts).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { hashPassword } from '../domain/passwords.js';

interface Account {
  username: string;
  name: string;
  passwordHash: string;
  role?: Role;
  sites?: string[];
}

const ROLES = ['officer', 'supervisor', 'admin'] as const;
type Role = (typeof ROLES)[number];

const USAGE = [
  'usage: npm run officer -- add <username> "<name>" [--role officer|supervisor|admin] [--sites kanreg1,kanreg2]',
  '                        | set <username> [--role …] [--sites …|--all-sites] [--name "<name>"]',
  '                        | passwd <username> | remove <username> | list',
].join('\n');
const file = resolve(process.env.OSG_OFFICERS_FILE ?? join(process.env.OSG_DATA_DIR ?? './data', 'officers.json'));
const { positional, options } = parseArgs(process.argv.slice(2));
const [command, username, name] = positional;

/** Positional words and `--flag value` options (`--all-sites` takes none). */
function parseArgs(args: string[]): { positional: string[]; options: Map<string, string> } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    if (arg === '--all-sites') {
      options.set('all-sites', '');
      continue;
    }
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (!['role', 'sites', 'name'].includes(key)) fail(`unknown option ${arg}\n${USAGE}`);
    const value = inline ?? args[++i];
    if (value === undefined) fail(`${arg} needs a value\n${USAGE}`);
    options.set(key, value);
  }
  return { positional, options };
}

function roleOption(): Role | undefined {
  const role = options.get('role');
  if (role === undefined) return undefined;
  if (!(ROLES as readonly string[]).includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
  return role as Role;
}

/** The configured site ids, when the server's site settings are in the environment. */
function configuredSites(): string[] | undefined {
  const inline = process.env.OSG_SITES;
  const sitesFile = process.env.OSG_SITES_FILE;
  if (!inline && !sitesFile) return undefined;
  try {
    const sites = JSON.parse(sitesFile ? readFileSync(sitesFile, 'utf8') : inline!) as Array<{ id?: unknown }>;
    return sites.map((s) => String(s.id));
  } catch (err) {
    fail(`cannot read the sites (${sitesFile ? `OSG_SITES_FILE ${sitesFile}` : 'OSG_SITES'}): ${(err as Error).message}`);
  }
}

/** `--sites a,b` as a list; undefined when not given. */
function sitesOption(): string[] | undefined {
  const raw = options.get('sites');
  if (raw === undefined) return undefined;
  const sites = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
  if (sites.length === 0) fail('--sites needs at least one site id, e.g. --sites kanreg1,kanreg2 (or --all-sites)');
  for (const site of sites) if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(site)) fail(`--sites: "${site}" is not a site id like kanreg1`);
  const known = configuredSites();
  const unknown = known ? sites.filter((s) => !known.includes(s)) : [];
  if (unknown.length) fail(`--sites: ${unknown.map((s) => `"${s}"`).join(', ')} is not a configured site (sites: ${known!.join(', ')})`);
  return sites;
}

/** Applies --role, --sites / --all-sites to an account; an officer's default role is not written. */
function applyAccess(account: Account, role: Role | undefined, sites: string[] | undefined): void {
  if (role !== undefined) account.role = role;
  if (options.has('all-sites')) delete account.sites;
  else if (sites !== undefined) account.sites = sites;
}

function describeAccess(a: Account): string {
  return `${a.role ?? 'officer'}\t${a.role === 'admin' || !a.sites ? 'every site' : a.sites.join(',')}`;
}

function read(): Account[] {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Account[]) : [];
}

/** Replaces the file in one rename, so the server never reads half of it. */
function write(accounts: Account[]): void {
  // Password hashes: owner-only, like the rest of the data directory (server/store/data-dir.ts).
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp`;
  rmSync(tmp, { force: true }); // writeFileSync's mode applies only to a file it creates
  writeFileSync(tmp, `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

function fail(message: string): never {
  process.stderr.write(`officer: ${message}\n`);
  process.exit(2);
}

/**
 * Lines typed at the terminal, echoing nothing (raw mode, for all of them: switching echo back on
 * between two prompts would show what is typed in that moment); Ctrl-C or Ctrl-D gives up.
 */
async function readHidden(prompts: string[]): Promise<string[]> {
  const input = process.stdin;
  input.setRawMode(true);
  input.setEncoding('utf8');
  let typed = '';
  let wake: (() => void) | undefined;
  const onData = (chunk: string) => {
    typed += chunk;
    wake?.();
  };
  input.on('data', onData);
  input.resume();
  const lines: string[] = [];
  try {
    for (const prompt of prompts) {
      process.stderr.write(prompt);
      let line = '';
      for (;;) {
        if (typed.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const ch = typed[0]!;
        typed = typed.slice(1);
        if (ch === '\r' || ch === '\n') break;
        if (ch === '\u0003' || ch === '\u0004') {
          input.setRawMode(false);
          process.stderr.write('\n');
          fail('cancelled');
        }
        if (ch === '\u007f' || ch === '\b') line = line.slice(0, -1);
        else if (ch >= ' ') line += ch;
      }
      process.stderr.write('\n');
      lines.push(line);
    }
  } finally {
    input.off('data', onData);
    input.setRawMode(false);
    input.pause();
  }
  return lines;
}

async function readPipedLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin });
  const line = await new Promise<string | undefined>((r) => {
    rl.once('line', r);
    rl.once('close', () => r(undefined));
  });
  rl.close();
  if (line === undefined) fail('no password on standard input');
  return line;
}

async function password(): Promise<string> {
  if (process.env.OSG_OFFICER_PASSWORD) return process.env.OSG_OFFICER_PASSWORD;
  if (!process.stdin.isTTY) return (await readPipedLine()).trim();
  const [first, again] = await readHidden(['Password (at least 10 characters, not shown): ', 'Repeat the password: ']);
  if (first !== again) fail('the two passwords differ; nothing was changed');
  return first.trim();
}

async function hashed(): Promise<string> {
  return hashPassword(await password()).catch((e: Error) => fail(e.message));
}

function checkUsername(): string {
  if (!username || !/^[a-z0-9_-]{3,32}$/.test(username)) fail(`give a username of 3-32 of a-z 0-9 _ -\n${USAGE}`);
  return username;
}

if (command === 'add') {
  const user = checkUsername();
  if (!name || name.trim().length < 2) fail('give the display name, e.g. "Petugas Kanreg I"');
  // Options are checked before the password is asked for: a typo costs no typing.
  const role = roleOption();
  const sites = sitesOption();
  const accounts = read();
  const existing = accounts.find((a) => a.username === user);
  const passwordHash = await hashed();
  const account = existing ?? { username: user, name: name.trim(), passwordHash };
  Object.assign(account, { name: name.trim(), passwordHash });
  applyAccess(account, role, sites);
  if (!existing) accounts.push(account);
  write(accounts);
  const replaced = existing ? ' (replaced the existing account: its sessions end)' : '';
  process.stdout.write(`officer "${user}" (${describeAccess(account).replace('\t', ', ')}) saved in ${file}${replaced}; a running server uses it at once\n`);
} else if (command === 'set') {
  const user = checkUsername();
  if (positional.length > 2) fail(`set takes options only, e.g. set ${user} --role supervisor\n${USAGE}`);
  const role = roleOption();
  const sites = sitesOption();
  const newName = options.get('name')?.trim();
  if (newName !== undefined && newName.length < 2) fail('--name needs the display name, e.g. "Petugas Kanreg I"');
  if (role === undefined && sites === undefined && newName === undefined && !options.has('all-sites')) fail(`nothing to change\n${USAGE}`);
  const accounts = read();
  const account = accounts.find((a) => a.username === user);
  if (!account) fail(`no officer "${user}" in ${file}`);
  applyAccess(account, role, sites);
  if (newName !== undefined) account.name = newName;
  write(accounts);
  process.stdout.write(`officer "${user}" is now ${describeAccess(account).replace('\t', ', ')}; a running server applies it to their next request\n`);
} else if (command === 'passwd') {
  const user = checkUsername();
  const accounts = read();
  const account = accounts.find((a) => a.username === user);
  if (!account) fail(`no officer "${user}" in ${file}`);
  account.passwordHash = await hashed();
  write(accounts);
  process.stdout.write(`password of "${user}" changed; a running server ends every session of that account at once\n`);
} else if (command === 'remove') {
  const user = checkUsername();
  const accounts = read();
  if (!accounts.some((a) => a.username === user)) fail(`no officer "${user}" in ${file}`);
  write(accounts.filter((a) => a.username !== user));
  process.stdout.write(`officer "${user}" removed; a running server ends every session of that account at once\n`);
} else if (command === 'list') {
  for (const a of read()) process.stdout.write(`${a.username}\t${a.name}\t${describeAccess(a)}\n`);
} else {
  fail(USAGE);
}
