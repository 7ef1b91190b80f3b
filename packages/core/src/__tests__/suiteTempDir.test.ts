import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { suiteTempDir } from '../testing/suiteTempDir.js';

let made = '';
describe('suiteTempDir', () => {
  const tmp = suiteTempDir('paperlab-tmpdir-test-');
  it('is an empty folder while the suite runs', async () => {
    made = tmp.path;
    expect(made).toMatch(/paperlab-tmpdir-test-/);
    expect(await readdir(made)).toEqual([]);
    await writeFile(join(made, 'x.txt'), 'x');
  });
});
afterAll(() => {
  expect(made).not.toBe('');
  expect(existsSync(made), 'removed with its contents after the suite').toBe(false);
});
