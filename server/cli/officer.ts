/**
 * Manages officer accounts: `npm run officer -- add <username> "<name>"`, `passwd <username>`,
 * `remove <username>`, `list`. Only a scrypt hash of each password is written (mode 0600). A running
 * server notices the change at once: a new password or a removal ends that officer's sessions.
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
}

const USAGE = 'usage: npm run officer -- add <username> "<name>" | passwd <username> | remove <username> | list';
const file = resolve(process.env.OSG_OFFICERS_FILE ?? join(process.env.OSG_DATA_DIR ?? './data', 'officers.json'));
const [command, username, name] = process.argv.slice(2);

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
  const accounts = read();
  const existing = accounts.find((a) => a.username === user);
  const passwordHash = await hashed();
  if (existing) Object.assign(existing, { name: name.trim(), passwordHash });
  else accounts.push({ username: user, name: name.trim(), passwordHash });
  write(accounts);
  const replaced = existing ? ' (replaced the existing account: its sessions end)' : '';
  process.stdout.write(`officer "${user}" saved in ${file}${replaced}; a running server uses it at once\n`);
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
  for (const a of read()) process.stdout.write(`${a.username}\t${a.name}\n`);
} else {
  fail(USAGE);
}
