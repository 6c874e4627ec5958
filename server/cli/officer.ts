/**
 * Manages officer accounts: `npm run officer -- add <username> "<name>"`, `remove <username>`, `list`.
 * The password comes from OSG_OFFICER_PASSWORD or is read from standard input; only its scrypt hash is
 * written. The server reads the file at start-up (restart it after a change).
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

const file = resolve(process.env.OSG_OFFICERS_FILE ?? join(process.env.OSG_DATA_DIR ?? './data', 'officers.json'));
const [command, username, name] = process.argv.slice(2);

function read(): Account[] {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Account[]) : [];
}

function write(accounts: Account[]): void {
  // Password hashes: owner-only, like the rest of the data directory (server/store/data-dir.ts).
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp`;
  rmSync(tmp, { force: true }); // writeFileSync's mode applies only to a file it creates
  writeFileSync(tmp, `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

async function password(): Promise<string> {
  if (process.env.OSG_OFFICER_PASSWORD) return process.env.OSG_OFFICER_PASSWORD;
  process.stderr.write('Password (at least 10 characters): ');
  const rl = createInterface({ input: process.stdin });
  const line = await new Promise<string>((r) => rl.once('line', r));
  rl.close();
  return line.trim();
}

function fail(message: string): never {
  process.stderr.write(`officer: ${message}\n`);
  process.exit(2);
}

if (command === 'add') {
  if (!username || !/^[a-z0-9_-]{3,32}$/.test(username)) fail('usage: npm run officer -- add <username: 3-32 of a-z 0-9 _ -> "<display name>"');
  if (!name || name.trim().length < 2) fail('give the display name, e.g. "Petugas Kanreg I"');
  const accounts = read().filter((a) => a.username !== username);
  accounts.push({ username, name: name.trim(), passwordHash: await hashPassword(await password()).catch((e: Error) => fail(e.message)) });
  write(accounts);
  process.stdout.write(`officer "${username}" saved in ${file}; restart the server to use it\n`);
} else if (command === 'remove') {
  const accounts = read();
  if (!accounts.some((a) => a.username === username)) fail(`no officer "${username}" in ${file}`);
  write(accounts.filter((a) => a.username !== username));
  process.stdout.write(`officer "${username}" removed; restart the server\n`);
} else if (command === 'list') {
  for (const a of read()) process.stdout.write(`${a.username}\t${a.name}\n`);
} else {
  fail('usage: npm run officer -- add <username> "<name>" | remove <username> | list');
}
