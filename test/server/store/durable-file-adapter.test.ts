import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { DurableJsonFile, readLined } from '../../../server/store/durable-file-adapter.js';
import { StoreCorruptError } from '../../../server/store/store.js';

async function tempFile(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'osg-durable-file-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return path.join(dir, 'data.json');
}

const element = (i: number) => ({ id: `e${i}`, text: i % 7 === 0 ? 'baris satu\nbaris dua, "kutip" \\ \u2028 é 😀' : `isi ${i}`, list: [i, { nested: [i] }] });

/** A snapshot-like object: plain members, array members of 0, 1, 64 and 150 elements, and odd names. */
const sample = {
  format: 2,
  savedAt: '2026-12-01T00:00:00.000Z',
  empty: [],
  one: [element(0)],
  full: Array.from({ length: 64 }, (_, i) => element(i)),
  threads: Array.from({ length: 150 }, (_, i) => element(i)),
  seqs: { 'kanreg-1': 3 },
  'not-plain': [1, 2],
  left: undefined,
  last: [null, 'x'],
};

/** What JSON.parse makes of `text`, or `undefined` when it refuses it. */
function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

describe('DurableJsonFile', () => {
  it('reads back what it wrote, and the file is one JSON document with the same value', async (t) => {
    const file = await tempFile(t);
    const values: unknown[] = [sample, {}, { only: [] }, { a: 1 }, [1, [2]], 'text', 7, null, { a: Array.from({ length: 65 }, (_, i) => i) }];
    for (const value of values) {
      await new DurableJsonFile(file).write(value);
      const expected = JSON.parse(JSON.stringify(value));
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), expected);
      assert.deepEqual(await new DurableJsonFile(file).read(), expected);
    }
  });

  it('writes array members a chunk of elements a line, which it reads without holding the file whole', async (t) => {
    const file = await tempFile(t);
    await new DurableJsonFile(file).write(sample);
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.ok(lines.includes('"threads":['));
    assert.ok(lines.length > 8 && lines.every((line) => line.length < 10_000), 'short lines');
    assert.deepEqual((await readLined(file))?.data, JSON.parse(JSON.stringify(sample)));
  });

  it('reads a file written on one line or indented as any JSON file', async (t) => {
    const file = await tempFile(t);
    for (const text of [JSON.stringify(sample), JSON.stringify(sample, null, 2), `${JSON.stringify(sample, null, 1).replaceAll('\n', '\r\n')}\r\n`]) {
      writeFileSync(file, text);
      assert.deepEqual(await new DurableJsonFile(file).read(), JSON.parse(text));
    }
  });

  it('reads no file as null', async (t) => {
    assert.equal(await new DurableJsonFile(await tempFile(t)).read(), null);
  });

  it('never reads a changed file to anything but what JSON.parse reads, and refuses what JSON.parse refuses', async (t) => {
    const file = await tempFile(t);
    await new DurableJsonFile(file).write(sample);
    const lines = readFileSync(file, 'utf8').split('\n').slice(0, -1);
    const variants: string[] = [];
    const join = (list: string[]) => `${list.join('\n')}\n`;
    for (let i = 0; i <= lines.length; i++) {
      variants.push(join(lines.slice(0, i)), lines.slice(0, i).join('\n'), `${join(lines.slice(0, i))}{"x":1}`);
    }
    for (let i = 0; i < lines.length; i++) {
      const without = lines.filter((_, k) => k !== i);
      const doubled = [...lines.slice(0, i + 1), ...lines.slice(i)];
      const swapped = [...lines];
      [swapped[i], swapped[i + 1]] = [swapped[i + 1], swapped[i]];
      const comma = lines.map((line, k) => (k !== i ? line : line.endsWith(',') ? line.slice(0, -1) : `${line},`));
      const blank = [...lines.slice(0, i), '', ...lines.slice(i)];
      variants.push(join(without), join(doubled), join(swapped.filter((line) => line !== undefined)), join(comma), join(blank));
    }
    for (const text of variants) {
      writeFileSync(file, text);
      const expected = parseOrUndefined(text);
      const lined = await readLined(file);
      if (lined) assert.deepEqual(lined.data, expected, `accepted as lined but JSON.parse reads otherwise:\n${text}`);
      if (expected === undefined) {
        await assert.rejects(new DurableJsonFile(file).read(), (err: unknown) => err instanceof StoreCorruptError && /not valid JSON/.test(err.message), text);
      } else {
        assert.deepEqual(await new DurableJsonFile(file).read(), expected);
      }
    }
  });

  it('refuses a file that parses but fails validation, at its start', async (t) => {
    const file = await tempFile(t);
    await new DurableJsonFile(file).write(sample);
    const adapter = new DurableJsonFile(file, (data) => ((data as { format?: unknown }).format === 3 ? undefined : 'not format 3'));
    await assert.rejects(adapter.read(), (err: unknown) => err instanceof StoreCorruptError && err.position === 'line 1, byte offset 0' && /not format 3/.test(err.message));
  });
});
